"""Building blocks shared by the Iranian and Vietnamese recognisers.

* :class:`ContextTextRecognizer`: a pattern recogniser whose free-text screen uses
  only patterns that start with a context word (``کد ملی: ...``, ``CCCD ...``): bare
  digit strings in prose are anything, so there the words carry the decision;
* :class:`ListedNameRecognizer`: person names found without a model, from the small
  lists of common family and given names in ``governance/data/name_lists.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import ClassVar

import polars as pl

from governance.masking import mask
from governance.resources import data_file
from governance.scan.normalize import fold_diacritics, normalize_text
from governance.scan.recognizers.base import ColumnView, Pattern, PatternRecognizer, Verdict
from governance.yamlio import load_yaml


class ContextTextRecognizer(PatternRecognizer):
    """Free text is screened with :attr:`TEXT_PATTERNS` only; columns with :attr:`PATTERNS` (which must hold
    a strong pattern: it is what Presidio's analyzer is given)."""

    TEXT_PATTERNS: ClassVar[tuple[Pattern, ...]] = ()
    LEAK = True

    @cached_property
    def text_regex(self) -> str | None:
        union = self._union(self.TEXT_PATTERNS)
        return f"(?:{union})" if union else None

    def trim(self, matched: str) -> str:
        """The number after the context words."""
        return matched[min((i for i, c in enumerate(matched) if c.isdigit() or c == "+"), default=0) :]


def words_alternation(words, fold: bool = True) -> str:
    """A regex alternation of words (longest first), each also without its diacritics unless ``fold`` is off."""
    forms = {normalize_text(str(w)) for w in words} | ({fold_diacritics(str(w)) for w in words} if fold else set())
    return "(?:" + "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def name_lists() -> dict:
    """The whole ``name_lists.yaml``."""
    return load_yaml(data_file("name_lists.yaml")).data


@dataclass(frozen=True)
class SingleWordRule:
    """When a column of single words holds one kind of name: the entity, the regex of one value, and
    the distinct values the column needs (or a distinct ratio of 2 %, where ``by_ratio``)."""

    entity: str
    regex: str
    min_distinct: int
    by_ratio: bool = False


@dataclass
class NameListState:
    """Values written like names of one language, those of them that hold a listed name, and the
    single-word values each :class:`SingleWordRule` matched (by the rule's key)."""

    shaped: int = 0
    listed: int = 0
    single: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return self.shaped

    def merge(self, other: NameListState, max_examples: int = 3) -> None:
        self.shaped += other.shaped
        self.listed += other.listed
        for entity, count in other.single.items():
            self.single[entity] = self.single.get(entity, 0) + count
        self.examples = (self.examples + other.examples)[:max_examples]


class ListedNameRecognizer(PatternRecognizer):
    """Full names of one language: 2-4 words in the language's script, one of them (first or last)
    on the list of common names; a column of single listed words is first or last names, by the
    list that holds most of them.

    Subclasses set :attr:`LANGUAGE` (a key of ``name_lists.yaml``), :attr:`WORD` (one word of a
    name, as a Rust regex) and :attr:`TEXT_WORD` (the same for Python's ``re``).
    """

    ENTITY = "PERSON"
    SOFT = True
    LEAK = True
    TEXT_BOUNDARY = False
    LANGUAGE: ClassVar[str]
    WORD: ClassVar[str]
    TEXT_WORD: ClassVar[str]
    #: Words of a name in free text besides the listed one (Persian words are not capitalised,
    #: so there only the family name follows the given name).
    TEXT_WORDS: ClassVar[int] = 3
    #: Shares of a neutrally named column: written like names, and holding a listed name.
    MIN_SHAPED = 0.8
    MIN_LISTED = 0.5
    #: Share of a neutrally named column of single words that must be listed names.
    MIN_SINGLE_LISTED = 0.6
    #: A column of single listed names needs this many distinct values (or, for the main list, a distinct
    #: ratio of 2 %): family names repeat (a Vietnamese table is two-fifths Nguyễn), but a handful of
    #: words is a category.
    MIN_DISTINCT = 12
    #: A column of words with a family name's ending needs more: adjectives in -ی name categories too.
    MIN_DISTINCT_ENDINGS = 30

    @cached_property
    def lists(self) -> dict:
        return name_lists()[self.LANGUAGE]

    @cached_property
    def listed(self) -> str:
        return words_alternation(self.lists["names"])

    @cached_property
    def single_rules(self) -> dict[str, SingleWordRule]:
        """The rules for columns of single names: the main list, the other lists (``single_names``) and
        the endings of names (``single_endings``), by key."""
        rules = {"names": SingleWordRule(self.lists["names_entity"], rf"^{self.listed}$", self.MIN_DISTINCT, True)}
        for entity, names in self.lists.get("single_names", {}).items():
            rules[f"names:{entity}"] = SingleWordRule(entity, rf"^{words_alternation(names)}$", self.MIN_DISTINCT)
        for entity, endings in self.lists.get("single_endings", {}).items():
            ending = words_alternation(endings, fold=False)
            rules[f"endings:{entity}"] = SingleWordRule(entity, rf"^{self.WORD}\s?{ending}$", self.MIN_DISTINCT_ENDINGS)
        return rules

    @cached_property
    def honorific(self) -> str:
        return words_alternation(self.lists["honorifics"])

    @cached_property
    def _regexes(self) -> tuple[str, str]:
        word, listed, title = self.WORD, self.listed, self.honorific
        lead = rf"^(?i:{title}\s+){{0,2}}"
        shaped = rf"{lead}{word}(?:\s+{word}){{1,3}}$"
        with_list = rf"{lead}{listed}(?:\s+{word}){{1,3}}$|{lead}(?:{word}\s+){{1,3}}{listed}$"
        return shaped, with_list

    @property
    def PATTERNS(self) -> tuple[Pattern, ...]:  # what Presidio's analyzer is given (needs at least one pattern)
        return (Pattern("name after a context word", self.text_regex, 0.5),)

    @cached_property
    def text_regex(self) -> str:
        words = rf"{self.TEXT_WORD}(?:\s+{self.TEXT_WORD}){{0,{self.TEXT_WORDS - 1}}}"
        context = words_alternation(self.lists["context"], fold=False)
        return rf"{context}[:\s]+(?:{self.listed}\s+{words}|{words}\s+{self.listed})"

    def new_state(self) -> NameListState:
        return NameListState()

    def hit(self, state: NameListState) -> bool:
        return bool(state.shaped or any(state.single.values()))

    def merge(self, state, other, column: ColumnView) -> None:
        state.merge(other, column.max_examples)

    def screen(self, values: pl.Series, state: NameListState, column: ColumnView) -> None:
        shaped_re, listed_re = self._regexes
        shaped = values.str.contains(shaped_re)
        listed = shaped & values.str.contains(listed_re)
        state.shaped += int(shaped.sum())
        state.listed += int(listed.sum())
        for key, rule in self.single_rules.items():
            state.single[key] = state.single.get(key, 0) + int(values.str.contains(rule.regex).sum())
        room = column.max_examples - len(state.examples)
        if room > 0:
            state.examples.extend(mask(v, self.ENTITY) for v in values.filter(listed).head(room).to_list())

    def verdict(self, state: NameListState, column: ColumnView) -> Verdict | None:
        n = column.non_empty
        if not n or column.hinted_none:
            return None
        named = column.hint is not None and column.hint.entity in ("PERSON", "FIRST_NAME", "LAST_NAME")
        if state.shaped >= self.MIN_SHAPED * n and state.listed >= (0.2 if named else self.MIN_LISTED) * n:
            entity = column.hint.entity if named else self.ENTITY
            confidence = (0.85 if named else 0.6) + 0.1 * state.listed / n
            detectors = (["name"] if named else []) + ["vocabulary"]
            return Verdict(entity, state.shaped, confidence, detectors, list(state.examples))
        floor = (0.4 if named else self.MIN_SINGLE_LISTED) * n
        for key, single in sorted(state.single.items(), key=lambda item: -item[1]):
            rule = self.single_rules[key]
            varied = column.distinct >= rule.min_distinct or (rule.by_ratio and column.distinct_ratio >= 0.02)
            if single >= floor and varied:  # a few given names alone are everyday words too (Hoa, Lan: flowers)
                entity = column.hint.entity if named else rule.entity
                detectors = (["name"] if named else []) + ["vocabulary"]
                return Verdict(entity, single, 0.55 + 0.1 * single / n, detectors, [])
        return None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for match in self._text_compiled.finditer(text):
            start = match.start() + len(match.group(0)) - len(self.trim(match.group(0)))
            found.append((start, match.end(), text[start : match.end()]))
        return found

    def trim(self, matched: str) -> str:
        """The name after the context word."""
        context = re.match(words_alternation(self.lists["context"], fold=False) + r"[:\s]+", matched)
        return matched[context.end() :] if context else matched
