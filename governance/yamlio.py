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


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _index(value_node, loc + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[loc + (i,)] = item.start_mark.line + 1
            _index(item, loc + (i,), lines)


def load_yaml(path: str | Path) -> YamlDoc:
    """Load one YAML file with the safe loader; a syntax error becomes a :class:`ConfigError` with its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read ({exc.__class__.__name__})", where=str(path)) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", where=where) from None
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
