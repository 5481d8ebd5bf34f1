"""Load rule packs: the built-in ones and the user's (``--rules DIR``), minus disabled packs or rules.

A pack is a directory of rule files, one rule per ``<RULE-ID>.yaml``, with an optional
``pack.yaml``. Every problem in every file is collected and raised as one
:class:`ConfigError` naming ``file:line: key: reason``; nothing is skipped silently,
and a rule id defined twice is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from governance.errors import ConfigError
from governance.resources import bundled_dir
from governance.rules.conditions import Condition, parse_condition, template_problems
from governance.rules.facts import ROOT_SCOPE, target_scope
from governance.rules.model import PackSpec, RuleSpec
from governance.rules.results import RuleInfo
from governance.yamlio import Loc, YamlDoc, format_loc, load_yaml, validation_error

PACK_FILE = "pack.yaml"


@dataclass(frozen=True)
class Pack:
    """A directory of rules and the condition under which any of them apply."""

    name: str
    directory: Path
    title: str
    description: str = ""
    applies_when: Condition | None = None
    builtin: bool = False


@dataclass(frozen=True)
class Rule:
    """A validated rule, its parsed conditions and the metadata reporters show."""

    spec: RuleSpec
    pack: Pack
    path: Path
    check: Condition
    applies_when: Condition | None = None
    line: int = 1  # line of the id key, for errors that point at the rule

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def info(self) -> RuleInfo:
        s = self.spec
        return RuleInfo(s.id, s.title, self.pack.name, s.law, s.citation, s.severity,
                        s.description.strip(), s.remediation.strip(), s.help_uri or "")


@dataclass
class RuleSet:
    """The rules in force for one check, in pack then id order."""

    packs: list[Pack] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, whatever its letter case."""
        wanted = rule_id.strip().upper()
        return next((r for r in self.rules if r.id == wanted), None)

    def infos(self) -> list[RuleInfo]:
        return [r.info for r in self.rules]


class _Collector:
    """Gathers problems from every file so the user sees them all at once."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, doc: YamlDoc | Path, loc: Loc, reason: str) -> None:
        if isinstance(doc, YamlDoc):
            line = doc.line_of(loc)
            where = f"{doc.path}:{line}" if line else str(doc.path)
        else:
            where = str(doc)
        self.problems.append((f"{where}: {format_loc(loc)}" if loc else where, reason))

    def load(self, path: Path) -> YamlDoc | None:
        try:
            return load_yaml(path)
        except ConfigError as exc:
            self.problems.append((exc.where or str(path), exc.message))
            return None

    def validate(self, model, doc: YamlDoc):
        if not isinstance(doc.data, dict):
            self.add(doc, (), "a rule file must be a mapping of keys (id, title, law, ...)")
            return None
        try:
            return model.model_validate(doc.data)
        except ValidationError as exc:
            for err in exc.errors():
                msg = err["msg"].removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    msg = "unknown key (check the spelling; see governance/schemas/rule.schema.json)"
                self.add(doc, tuple(err["loc"]), msg)
            return None

    def condition(self, doc: YamlDoc, key: str, raw, scope) -> Condition | None:
        if raw is None:
            return None
        cond, problems = parse_condition(raw, (key,), scope)
        for loc, reason in problems:
            self.add(doc, loc, reason)
        return cond


def _pack_dirs(directory: Path) -> list[Path]:
    """A directory holding rule files is one pack; otherwise each sub-directory holding them is."""
    if not directory.is_dir():
        raise ConfigError("rule directory not found", where=str(directory), hint="give a directory of <RULE-ID>.yaml files")
    if any(p.suffix in (".yaml", ".yml") for p in directory.iterdir()):
        return [directory]
    packs = sorted(d for d in directory.iterdir() if d.is_dir() and any(p.suffix in (".yaml", ".yml") for p in d.iterdir()))
    if not packs:
        raise ConfigError("no rule files here", where=str(directory), hint="a pack is a directory of <RULE-ID>.yaml files")
    return packs


def _load_pack(directory: Path, builtin: bool, out: _Collector) -> tuple[Pack, list[Rule]]:
    name = directory.name
    pack = Pack(name, directory, name, builtin=builtin)
    pack_file = directory / PACK_FILE
    if pack_file.exists() and (doc := out.load(pack_file)) is not None:
        spec = out.validate(PackSpec, doc)
        if spec is not None:
            cond = out.condition(doc, "applies_when", spec.applies_when, ROOT_SCOPE)
            pack = Pack(name, directory, spec.title, spec.description.strip(), cond, builtin)
    rules = []
    for path in sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.name != PACK_FILE):
        doc = out.load(path)
        spec = out.validate(RuleSpec, doc) if doc is not None else None
        if spec is None:
            continue
        if path.stem != spec.id:
            out.add(doc, ("id",), f"rule id '{spec.id}' must match the file name ({path.name}); rename one of them")
        scope = target_scope(spec.target)
        applies = out.condition(doc, "applies_when", spec.applies_when, scope)
        check = out.condition(doc, "check", spec.check, scope)
        for reason in template_problems(spec.message, scope):
            out.add(doc, ("message",), reason)
        if check is not None:
            rules.append(Rule(spec, pack, path, check, applies, doc.line_of(("id",)) or 1))
    return pack, rules


def load_rules(
    directories: Iterable[str | Path] = (),
    *,
    builtin: bool = True,
    disable: Iterable[str] = (),
) -> RuleSet:
    """Load the built-in packs (unless ``builtin=False``) and the packs in ``directories``.

    ``disable`` names packs or rule ids to switch off; a name matching nothing is an error.
    """
    out = _Collector()
    sources = [(d, True) for d in (_pack_dirs(bundled_dir("rules")) if builtin else [])]
    sources += [(d, False) for directory in directories for d in _pack_dirs(Path(directory))]
    ruleset = RuleSet()
    seen_rules: dict[str, Path] = {}
    seen_packs: dict[str, Path] = {}
    for directory, is_builtin in sources:
        earlier = seen_packs.get(directory.name)
        if earlier is not None and earlier.resolve() == directory.resolve():
            continue  # the same directory named twice (e.g. --rules pointing at the built-in packs)
        if directory.name in seen_packs:
            out.add(directory, (), f"pack '{directory.name}' is already loaded from {seen_packs[directory.name]}; rename the directory")
            continue
        seen_packs[directory.name] = directory
        pack, rules = _load_pack(directory, is_builtin, out)
        ruleset.packs.append(pack)
        for rule in rules:
            if rule.id in seen_rules:
                out.problems.append((f"{rule.path}:{rule.line}: id", f"duplicate rule id '{rule.id}', also defined in {seen_rules[rule.id]}"))
                continue
            seen_rules[rule.id] = rule.path
            ruleset.rules.append(rule)
    off = {name.casefold() for name in disable}  # pack names and rule ids, whatever their letter case
    known = {p.name.casefold() for p in ruleset.packs} | {rule_id.casefold() for rule_id in seen_rules}
    for name in sorted(n for n in disable if n.casefold() not in known):
        out.problems.append(("--disable", f"no rule pack or rule id named '{name}' (see `governance rules list`)"))
    if out.problems:
        raise validation_error(out.problems, "the rule packs")
    ruleset.packs = [p for p in ruleset.packs if p.name.casefold() not in off]
    ruleset.rules = [r for r in ruleset.rules if r.id.casefold() not in off and r.pack.name.casefold() not in off]
    return ruleset
