"""The declarative condition language of rule files: no Python, no eval.

A condition is YAML, one of:

- ``{all: [cond, ...]}``, ``{any: [cond, ...]}``, ``{not: cond}`` — boolean combinations;
- ``{path: a.b.c, <operator>: operand, ...}`` — a test on one value (several operators: all must hold);
- ``{some|every|none: {of: a.list, where: cond}}`` — quantifiers over a list of
  purposes, datasets, fields, recipients or findings; inside ``where`` the item is
  named by the singular (``field``, ``finding`` ...);
- ``{purpose_uses: key-or-list}`` — some declared purpose has a data use under one of these fideslang keys.

Paths start at a name in scope (``organization``, ``security``, ``purpose``, ``field``, ...)
and are checked when the rule loads, so a misspelt key is a load error, not a silent
``false``. Operators live in one registry (:data:`OPERATORS`), which also produces the
JSON Schema of conditions.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields as dc_fields, is_dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from governance.taxonomy import category_matches, data_categories, data_subjects, data_uses
from governance.yamlio import Loc

Context = Mapping[str, Any]
Scope = Mapping[str, Any]
Problem = tuple[Loc, str]


# --------------------------------------------------------------------------- values


def resolve(ctx: Context, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in ``ctx``; ``None`` when any step is missing or ``None``."""
    value = ctx.get(path[0])
    for step in path[1:]:
        if value is None:
            return None
        value = value.get(step) if isinstance(value, Mapping) else getattr(value, step, None)
    return value


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _category_hit(value: Any, patterns: Any) -> bool:
    return any(
        isinstance(v, str) and category_matches(p, v) for v in _as_list(value) for p in _as_list(patterns)
    )


def _in(value: Any, operand: list) -> bool:
    return any(v in operand for v in _as_list(value)) if isinstance(value, list) else value in operand


# --------------------------------------------------------------------------- operators


@dataclass(frozen=True)
class Operator:
    """One test a ``path`` predicate can make: how it evaluates, what operand it takes, what it means."""

    name: str
    test: Callable[[Any, Any], bool]
    operand_schema: dict
    doc: str
    kinds: tuple[str, ...] = ()  # value kinds it applies to; empty = any


_SCALAR = {"type": ["string", "number", "integer", "boolean", "null"]}
_STR_OR_LIST = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}

OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("equals", lambda v, o: v == o, _SCALAR, "the value equals the operand"),
        Operator("not_equals", lambda v, o: v != o, _SCALAR, "the value differs from the operand (a missing value differs)"),
        Operator("in", _in, {"type": "array", "items": _SCALAR, "minItems": 1},
                 "the value is one of the listed values (for a list: any element is)"),
        Operator("not_in", lambda v, o: not _in(v, o), {"type": "array", "items": _SCALAR, "minItems": 1},
                 "the value is none of the listed values"),
        Operator("exists", lambda v, o: _present(v) == o, {"type": "boolean"},
                 "true: the value is set and not empty; false: it is missing, empty or an empty list"),
        Operator("lt", lambda v, o: _number(v) and v < o, {"type": "number"}, "a number below the operand", ("number",)),
        Operator("lte", lambda v, o: _number(v) and v <= o, {"type": "number"}, "a number at most the operand", ("number",)),
        Operator("gt", lambda v, o: _number(v) and v > o, {"type": "number"}, "a number above the operand", ("number",)),
        Operator("gte", lambda v, o: _number(v) and v >= o, {"type": "number"}, "a number at least the operand", ("number",)),
        Operator("matches", lambda v, o: any(isinstance(x, str) and re.search(o, x) is not None for x in _as_list(v)),
                 {"type": "string"}, "the text (for a list: any text in it) contains a match of the regular expression",
                 ("str", "list")),
        Operator("matches_category", _category_hit, _STR_OR_LIST,
                 "a fideslang key (or any key in a list) is the operand or below it: "
                 "user.contact matches user.contact.email", ("str", "list")),
        Operator("contains", lambda v, o: o in _as_list(v), _SCALAR, "the list contains the operand", ("list",)),
        Operator("contains_any", lambda v, o: any(x in _as_list(v) for x in o),
                 {"type": "array", "items": _SCALAR, "minItems": 1}, "the list contains at least one listed value", ("list",)),
    )
}


# --------------------------------------------------------------------------- condition tree


class Condition:
    """A parsed condition; :meth:`holds` evaluates it in a context of named values."""

    def holds(self, ctx: Context) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class AllOf(Condition):
    items: tuple[Condition, ...]

    def holds(self, ctx: Context) -> bool:
        return all(c.holds(ctx) for c in self.items)


@dataclass(frozen=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]

    def holds(self, ctx: Context) -> bool:
        return any(c.holds(ctx) for c in self.items)


@dataclass(frozen=True)
class Not(Condition):
    item: Condition

    def holds(self, ctx: Context) -> bool:
        return not self.item.holds(ctx)


@dataclass(frozen=True)
class PathTest(Condition):
    path: tuple[str, ...]
    tests: tuple[tuple[Operator, Any], ...]

    def holds(self, ctx: Context) -> bool:
        value = resolve(ctx, self.path)
        return all(op.test(value, operand) for op, operand in self.tests)


@dataclass(frozen=True)
class Quantifier(Condition):
    kind: str  # some | every | none
    of: tuple[str, ...]
    where: Condition | None

    def holds(self, ctx: Context) -> bool:
        matched = (self.where is None or self.where.holds({**ctx, **_bindings(item)}) for item in _as_list(resolve(ctx, self.of)))
        if self.kind == "some":
            return any(matched)
        if self.kind == "none":
            return not any(matched)
        return all(matched)


@dataclass(frozen=True)
class PurposeUses(Condition):
    keys: tuple[str, ...]

    def holds(self, ctx: Context) -> bool:
        return any(_category_hit(p.data_use, self.keys) for p in _as_list(ctx.get("purposes")))


def _bindings(item: Any) -> dict[str, Any]:
    bind = getattr(item, "bindings", None)
    return bind() if callable(bind) else {}


# --------------------------------------------------------------------------- static types of paths


def _unwrap(tp: Any) -> Any:
    """Strip Optional and Annotated from a type hint."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else Any
        else:
            return tp


def _is_list(tp: Any) -> bool:
    return typing.get_origin(_unwrap(tp)) in (list, tuple, set)


def item_type(tp: Any) -> Any:
    """Element type of a list type hint."""
    args = typing.get_args(_unwrap(tp))
    return args[0] if args else Any


def attribute_types(tp: Any) -> dict[str, Any] | None:
    """Attribute name -> type hint for a view, pydantic model or dataclass; ``None`` for a scalar."""
    tp = _unwrap(tp)
    if hasattr(tp, "attribute_types"):
        return tp.attribute_types()
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {name: f.annotation for name, f in tp.model_fields.items()}
    if isinstance(tp, type) and is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return {f.name: hints[f.name] for f in dc_fields(tp)}
    return None


def value_kind(tp: Any) -> str:
    """``number``, ``bool``, ``str``, ``list``, ``object`` or ``any`` for a type hint."""
    tp = _unwrap(tp)
    if _is_list(tp):
        return "list"
    if typing.get_origin(tp) is typing.Literal:
        return "str" if all(isinstance(a, str) for a in typing.get_args(tp)) else "any"
    if tp is bool:
        return "bool"
    if tp in (int, float):
        return "number"
    if tp in (str, date):
        return "str"
    return "object" if attribute_types(tp) is not None else "any"


def literal_values(tp: Any) -> tuple | None:
    """Allowed values of a ``Literal`` type (or a list of them), else ``None``."""
    tp = _unwrap(tp)
    if _is_list(tp):
        tp = _unwrap(item_type(tp))
    return typing.get_args(tp) if typing.get_origin(tp) is typing.Literal else None


def path_type(scope: Scope, path: tuple[str, ...]) -> tuple[Any, str | None]:
    """Type hint at ``path`` and ``None``, or ``(None, reason)`` when the path does not exist."""
    if path[0] not in scope:
        return None, f"unknown name '{path[0]}' here; use one of: {', '.join(sorted(scope))}"
    tp = scope[path[0]]
    for i, step in enumerate(path[1:], start=1):
        attrs = attribute_types(tp)
        if attrs is None or _is_list(tp):
            what = "a list (use some/every/none with of:)" if _is_list(tp) else "a plain value"
            return None, f"'{'.'.join(path[:i])}' is {what}; it has no '{step}'"
        if step not in attrs:
            return None, f"'{'.'.join(path[:i])}' has no '{step}'; known: {', '.join(sorted(attrs))}"
        tp = attrs[step]
    return tp, None


def parse_path(raw: Any) -> tuple[str, ...] | None:
    """``"purpose.opt_out.mechanism"`` -> tuple, or ``None`` when malformed."""
    if not isinstance(raw, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*", raw):
        return None
    return tuple(raw.split("."))


# --------------------------------------------------------------------------- parsing

QUANTIFIERS = ("some", "every", "none")
BOOLEANS = ("all", "any", "not")


def _fideslang_key(key: str) -> bool:
    return key in data_categories() or key in data_uses() or key in data_subjects()


class _Parser:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, loc: Loc, reason: str) -> None:
        self.problems.append((loc, reason))

    def parse(self, raw: Any, loc: Loc, scope: Scope) -> Condition | None:
        if not isinstance(raw, dict) or not raw:
            self.fail(loc, "a condition must be a mapping: all/any/not, path + operator, some/every/none, or purpose_uses")
            return None
        keys = set(raw)
        head = keys & {*BOOLEANS, *QUANTIFIERS, "path", "purpose_uses"}
        if len(head) != 1:
            self.fail(loc, f"expected exactly one of all, any, not, path, some, every, none, purpose_uses; got {', '.join(map(str, sorted(keys, key=str)))}")
            return None
        (kind,) = head
        if kind in BOOLEANS or kind in QUANTIFIERS or kind == "purpose_uses":
            if len(keys) != 1:
                extra = ", ".join(str(k) for k in sorted(keys - {kind}, key=str))
                self.fail(loc + (kind,), f"'{kind}' stands alone in its mapping; unexpected: {extra}")
                return None
        if kind in ("all", "any"):
            items = raw[kind]
            if not isinstance(items, list) or not items:
                self.fail(loc + (kind,), f"'{kind}' takes a non-empty list of conditions")
                return None
            parsed = [self.parse(item, loc + (kind, i), scope) for i, item in enumerate(items)]
            if any(p is None for p in parsed):
                return None
            return (AllOf if kind == "all" else AnyOf)(tuple(parsed))
        if kind == "not":
            inner = self.parse(raw["not"], loc + ("not",), scope)
            return Not(inner) if inner else None
        if kind in QUANTIFIERS:
            return self._quantifier(kind, raw[kind], loc + (kind,), scope)
        if kind == "purpose_uses":
            return self._purpose_uses(raw[kind], loc + (kind,))
        return self._path_test(raw, loc, scope)

    def _purpose_uses(self, raw: Any, loc: Loc) -> Condition | None:
        keys = _as_list(raw)
        if not keys or not all(isinstance(k, str) for k in keys):
            self.fail(loc, "purpose_uses takes a fideslang data use or a list of them")
            return None
        bad = [k for k in keys if k not in data_uses()]
        if bad:
            self.fail(loc, f"not a fideslang data use: {', '.join(bad)} (see `governance taxonomy data-uses`)")
            return None
        return PurposeUses(tuple(keys))

    def _quantifier(self, kind: str, raw: Any, loc: Loc, scope: Scope) -> Condition | None:
        if not isinstance(raw, dict) or "of" not in raw or set(raw) - {"of", "where"}:
            self.fail(loc, f"'{kind}' takes a mapping with 'of' (a list path) and optional 'where' (a condition)")
            return None
        path = parse_path(raw["of"])
        if path is None:
            self.fail(loc + ("of",), f"'{raw['of']}' is not a dotted path such as dataset.fields")
            return None
        tp, error = path_type(scope, path)
        if error:
            self.fail(loc + ("of",), error)
            return None
        item = _unwrap(item_type(tp)) if _is_list(tp) else None
        if item is None or not hasattr(item, "scope_of"):
            self.fail(loc + ("of",), f"'{raw['of']}' is not a list of purposes, datasets, fields, recipients or findings")
            return None
        where = None
        if "where" in raw:
            where = self.parse(raw["where"], loc + ("where",), {**scope, **item.scope_of()})
            if where is None:
                return None
        return Quantifier(kind, path, where)

    def _path_test(self, raw: dict, loc: Loc, scope: Scope) -> Condition | None:
        path = parse_path(raw["path"])
        if path is None:
            self.fail(loc + ("path",), f"'{raw['path']}' is not a dotted path such as purpose.opt_out.mechanism")
            return None
        tp, error = path_type(scope, path)
        if error:
            self.fail(loc + ("path",), error)
            return None
        ops = [k for k in raw if k != "path"]
        if not ops:
            self.fail(loc, f"'{raw['path']}' needs an operator: {', '.join(OPERATORS)}")
            return None
        tests = []
        for name in ops:
            op = OPERATORS.get(name) if isinstance(name, str) else None
            if op is None:
                self.fail(loc + (name,), f"unknown operator '{name}'; use one of: {', '.join(OPERATORS)}")
                continue
            operand = raw[name]
            reason = self._operand_problem(op, operand, tp)
            if reason:
                self.fail(loc + (name,), reason)
                continue
            tests.append((op, operand))
        if len(tests) != len(ops):
            return None
        return PathTest(path, tuple(tests))

    def _operand_problem(self, op: Operator, operand: Any, tp: Any) -> str | None:
        kind = value_kind(tp)
        if op.kinds and kind not in ("any", *op.kinds):
            return f"'{op.name}' does not apply to a {kind} value"
        schema_type = op.operand_schema.get("type")
        if schema_type == "number" and not _number(operand):
            return f"'{op.name}' takes a number"
        if schema_type == "boolean" and not isinstance(operand, bool):
            return f"'{op.name}' takes true or false"
        if schema_type == "string" and not isinstance(operand, str):
            return f"'{op.name}' takes a text value"
        if schema_type == "array" and (not isinstance(operand, list) or not operand):
            return f"'{op.name}' takes a non-empty list"
        if op.operand_schema is _SCALAR and isinstance(operand, (list, dict)):
            return f"'{op.name}' takes a single value (use in/contains_any for lists)"
        if op.name == "matches":
            try:
                re.compile(operand)
            except re.error as exc:
                return f"invalid regular expression: {exc}"
        if op.name == "matches_category":
            keys = _as_list(operand)
            bad = [k for k in keys if not isinstance(k, str) or not _fideslang_key(k)]
            if bad or not keys:
                return f"not a fideslang key: {', '.join(map(str, bad)) or '(empty)'} (see `governance taxonomy`)"
        allowed = literal_values(tp)
        if allowed and op.name in ("equals", "not_equals", "in", "not_in", "contains", "contains_any"):
            bad = [v for v in _as_list(operand) if v not in allowed]
            if bad:
                return f"{', '.join(map(str, bad))} is not a possible value here; use one of: {', '.join(map(str, allowed))}"
        return None


def parse_condition(raw: Any, loc: Loc, scope: Scope) -> tuple[Condition | None, list[Problem]]:
    """Parse and type-check one condition; return it and every problem found (``loc``, reason)."""
    parser = _Parser()
    condition = parser.parse(raw, tuple(loc), scope)
    return (condition if not parser.problems else None), parser.problems


# --------------------------------------------------------------------------- messages

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def template_problems(template: str, scope: Scope) -> list[str]:
    """Reasons the ``{path}`` placeholders of a message cannot be filled in this scope."""
    problems = []
    for match in _PLACEHOLDER.finditer(template):
        path = parse_path(match.group(1))
        if path is None:
            problems.append(f"placeholder '{{{match.group(1)}}}' is not a dotted path")
            continue
        _, error = path_type(scope, path)
        if error:
            problems.append(f"placeholder '{{{match.group(1)}}}': {error}")
    return problems


def render_message(template: str, ctx: Context) -> str:
    """Fill ``{path}`` placeholders from the context; lists are joined, missing values show as 'not declared'."""

    def fill(match: re.Match) -> str:
        value = resolve(ctx, tuple(match.group(1).split(".")))
        if value is None or value == []:
            return "not declared"
        if isinstance(value, (list, tuple)):
            return ", ".join(str(getattr(v, "id", v)) for v in value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(getattr(value, "id", value))

    return _PLACEHOLDER.sub(fill, template)


# --------------------------------------------------------------------------- JSON Schema


def condition_json_schema() -> dict:
    """JSON Schema of a condition (``$defs/Condition`` of rule.schema.json), built from the operator registry."""
    ref = {"$ref": "#/$defs/Condition"}
    path = {"type": "string", "pattern": r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$"}
    quant = {
        "type": "object",
        "properties": {"of": path, "where": ref},
        "required": ["of"],
        "additionalProperties": False,
    }
    one = lambda key, value, doc: {  # noqa: E731
        "type": "object", "properties": {key: value}, "required": [key], "additionalProperties": False, "description": doc,
    }
    return {
        "description": "A declarative condition (see rules/README.md).",
        "oneOf": [
            one("all", {"type": "array", "items": ref, "minItems": 1}, "every condition holds"),
            one("any", {"type": "array", "items": ref, "minItems": 1}, "at least one condition holds"),
            one("not", ref, "the condition does not hold"),
            one("some", quant, "at least one item of the list satisfies 'where'"),
            one("every", quant, "every item of the list satisfies 'where'"),
            one("none", quant, "no item of the list satisfies 'where'"),
            one("purpose_uses", _STR_OR_LIST, "some declared purpose has a data use under one of these fideslang keys"),
            {
                "type": "object",
                "description": "a test on the value at 'path'; several operators must all hold",
                "properties": {"path": path, **{n: {**o.operand_schema, "description": o.doc} for n, o in OPERATORS.items()}},
                "required": ["path"],
                "minProperties": 2,
                "additionalProperties": False,
            },
        ],
    }
