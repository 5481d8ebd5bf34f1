"""Word lists for recognisers that judge values by their words (``governance/data/value_vocabularies.yaml``)."""

from __future__ import annotations

import re
from functools import lru_cache

from governance.resources import data_file
from governance.yamlio import load_yaml


@lru_cache(maxsize=1)
def vocabularies() -> dict:
    """The whole vocabulary file."""
    return load_yaml(data_file("value_vocabularies.yaml")).data


def words(name: str) -> list[str]:
    """One word list, lower-case."""
    return [str(w).lower() for w in vocabularies()[name]]


def alternation(name: str, plural: bool = False) -> str:
    """A regex alternation of a word list (longest first), optionally allowing a plural ``s``."""
    items = sorted({re.escape(w) for w in words(name)}, key=len, reverse=True)
    body = "|".join(items)
    return f"(?:{body})s?" if plural else f"(?:{body})"
