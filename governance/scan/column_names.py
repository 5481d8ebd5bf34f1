"""Column-name hints: what a column's name says about its content.

Names are tokenised (snake_case, camelCase, kebab-case, dotted JSON paths) and
matched as whole token sequences against ``governance/data/column_names.yaml``,
so ``cust_email`` hints at an e-mail address while ``emailed_at`` does not.
Names in other scripts are compared without their diacritics (``số điện thoại`` is
``so dien thoai``) and in one Persian spelling (ي/ی, ك/ک, a zero-width non-joiner is a space).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from governance.resources import data_file
from governance.scan.normalize import fold_diacritics
from governance.yamlio import load_yaml

#: Pseudo-entities of the hint table that are not detector entities.
NONE = "NONE"
FREE_TEXT = "FREE_TEXT"

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\dA-Za-z_]+")


def tokenize(name: str) -> tuple[str, ...]:
    """Split a column name into lower-case word tokens; digits are dropped.

    >>> tokenize("custEmailAddr2")
    ('cust', 'email', 'addr')
    >>> tokenize("contact.e-mail")
    ('contact', 'e', 'mail')
    >>> tokenize("Số điện thoại")
    ('so', 'dien', 'thoai')
    """
    tokens = []
    for part in re.split(r"[\W_]+", fold_diacritics(name)):
        tokens.extend(t.lower() for t in _WORDS.findall(part) if not t.isdigit())
    return tuple(tokens)


@dataclass(frozen=True)
class NameHint:
    """The entity a column name suggests, and the phrase that suggested it."""

    entity: str
    phrase: str

    @property
    def personal(self) -> bool:
        """True when the hint names a detector entity (not NONE or FREE_TEXT)."""
        return self.entity not in (NONE, FREE_TEXT)


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, ...], str]:
    doc = load_yaml(data_file("column_names.yaml"))
    table: dict[tuple[str, ...], str] = {}
    for entity, phrases in doc.data.items():
        for phrase in phrases:
            table[tokenize(str(phrase))] = entity
    return table


def hint_for(name: str) -> NameHint | None:
    """The hint of a column name: the phrase ending nearest the end of the name wins, then the longest."""
    tokens = tokenize(name)
    best: tuple[int, int, str, tuple[str, ...]] | None = None
    for phrase, entity in _phrases().items():
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if tokens[start : start + size] == phrase:
                rank = (start + size, size)
                if best is None or rank > best[:2]:
                    best = (*rank, entity, phrase)
    if best is None:
        return None
    return NameHint(best[2], " ".join(best[3]))


def context_words(name: str) -> frozenset[str]:
    """The tokens of a column name, for recognisers' CONTEXT matching."""
    return frozenset(tokenize(name))
