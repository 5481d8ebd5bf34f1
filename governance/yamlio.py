"""Safe YAML loading that remembers where each key was written, for errors that name file and line.

Every YAML file users write (inventory, rules, waivers, baselines) goes through
:func:`load_yaml`, so every validation error can say ``file:line: key: reason``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from governance.errors import ConfigError
from governance.limits import current, exceeded

Loc = tuple[Any, ...]


@dataclass
class YamlDoc:
    """Parsed YAML plus the line (1-based) of each key path, e.g. ``("datasets", 0, "fields")``."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Iterable[Any]) -> int | None:
        """Line of the deepest known prefix of ``loc``."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int], seen: set[int] | None = None) -> None:
    """Lines of every key path; an aliased node is indexed once, where its anchor is (no alias expansion)."""
    seen = set() if seen is None else seen
    lines.setdefault(loc, node.start_mark.line + 1)
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _index(value_node, loc + (key,), lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[loc + (i,)] = item.start_mark.line + 1
            _index(item, loc + (i,), lines, seen)


class _LimitError(Exception):
    def __init__(self, limit: str, what: str, mark):
        super().__init__(limit)
        self.limit, self.what, self.mark = limit, what, mark


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader with the ``max_depth`` and ``max_yaml_aliases`` limits checked while composing.

    Composing is recursive: checking depth here stops a 20,000-level document before Python's stack does.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._limits = current()
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self._limits.max_yaml_aliases:
                raise _LimitError("max_yaml_aliases", "too many aliases (*name)", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > self._limits.max_depth:
                raise _LimitError("max_depth", "nested too deeply", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: yaml.Node, limit: int) -> None:
    """Raise when the document, every alias expanded, has more than ``limit`` nodes or an alias inside itself.

    Counted without expanding (each node's size once, iteratively), so a "billion laughs" costs microseconds.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > limit:
                raise _LimitError("max_yaml_nodes", "too many nodes once its aliases are expanded", node.start_mark)
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                raise ConfigError("invalid YAML: an alias refers to a node that contains it",
                                  where=f"{{path}}:{child.start_mark.line + 1}")
            if id(child) not in sizes:
                stack.append((child, False))


def load_yaml(path: str | Path) -> YamlDoc:
    """Load one YAML file with the safe loader; a syntax error becomes a :class:`ConfigError` with its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read ({exc.__class__.__name__})", where=str(path)) from None
    loader = None
    try:
        loader = _BoundedLoader(text)  # reading starts here: a non-printable character fails already
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node, loader._limits.max_yaml_nodes)
        data = loader.construct_document(node) if node is not None else None
    except _LimitError as exc:
        raise exceeded(exc.limit, f"YAML {exc.what}", f"{path}:{exc.mark.line + 1}", ConfigError) from None
    except ConfigError as exc:
        raise ConfigError(exc.message, where=(exc.where or "").replace("{path}", str(path))) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", where=where) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _index(node, (), lines)
    return YamlDoc(path, data, lines)


def format_loc(loc: Iterable[Any]) -> str:
    """``("datasets", 0, "fields", 2, "category")`` -> ``datasets[0].fields[2].category``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def validation_error(problems: list[tuple[str, str]], what: str) -> ConfigError:
    """One error listing every problem (``where``, ``reason``), like pandera's lazy validation."""
    if len(problems) == 1:
        where, reason = problems[0]
        return ConfigError(reason, where=where)
    return ConfigError(
        f"{len(problems)} problems in {what}",
        details=[f"{where}: {reason}" for where, reason in problems],
    )
