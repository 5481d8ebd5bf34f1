"""Resource limits for hostile or broken input, kept as data in ``governance/data/limits.yaml``.

Readers, the YAML loader and the template renderer read :func:`current`. A user raises
one for a run with ``governance --limit NAME=VALUE``; :func:`exceeded` builds the error
that names the limit and that option.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from functools import cache

import yaml

from governance.errors import ConfigError, InputError
from governance.resources import data_file


@dataclass(frozen=True)
class Limits:
    """One value per limit in ``limits.yaml`` (all positive integers)."""

    max_depth: int
    max_number_digits: int
    max_cell_bytes: int
    max_decompressed_bytes: int
    max_xlsx_part_bytes: int
    max_xlsx_shared_strings: int
    max_yaml_aliases: int
    max_yaml_nodes: int
    template_seconds: int
    template_output_chars: int


@cache
def _table() -> dict[str, dict]:
    with open(data_file("limits.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def defaults() -> Limits:
    """The shipped defaults."""
    return Limits(**{name: int(entry["default"]) for name, entry in _table().items()})


def describe(name: str) -> str:
    """What the limit ``name`` bounds, from ``limits.yaml``."""
    return _table()[name]["help"]


_CURRENT: ContextVar[Limits | None] = ContextVar("governance_limits", default=None)


def current() -> Limits:
    """The limits in force: the defaults, or those set by :func:`using`."""
    return _CURRENT.get() or defaults()


def parse(settings: Iterable[str]) -> Limits:
    """The defaults with ``NAME=VALUE`` settings applied; a bad setting is a :class:`ConfigError`."""
    names = [f.name for f in fields(Limits)]
    changes: dict[str, int] = {}
    for setting in settings:
        name, sep, value = setting.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in names:
            raise ConfigError(f"unknown limit '{setting}'", where="--limit", hint=f"use NAME=VALUE with NAME one of {', '.join(names)}")
        try:
            number = int(value.replace("_", ""))
        except ValueError:
            number = 0
        if number < 1:
            raise ConfigError(f"the limit {name} must be a positive whole number, not '{value}'", where="--limit")
        changes[name] = number
    return replace(defaults(), **changes)


def configure(limits: Limits) -> None:
    """Set the limits for the rest of this process (the CLI does this once per run)."""
    _CURRENT.set(limits)


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Limits in force inside the ``with`` block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def hint(name: str) -> str:
    """The option that raises ``name``, as shown in error lines."""
    return f"if the file is trusted, raise it: governance --limit {name}=N ..."


def exceeded(name: str, what: str, where: str, error: type[InputError] | type[ConfigError] = InputError):
    """The error for input over the limit ``name``: ``where: <what>: over the limit NAME=N (how to raise it)``."""
    value = getattr(current(), name)
    return error(f"{what}: over the limit {name}={value}", where=where, hint=hint(name))
