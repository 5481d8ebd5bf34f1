"""Demographics and identity: dates of birth, ages, gender, names, occupations, employers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from governance.masking import mask
from governance.scan.ages import DateStats
from governance.scan.recognizers.base import ColumnView, Pattern, PatternRecognizer, PatternState, Recognizer, Verdict
from governance.scan.recognizers.regional import words_alternation
from governance.scan.recognizers.vocabulary import alternation, vocabularies, words


class DateOfBirthRecognizer(Recognizer):
    """Dates of birth, told from other dates by name and by values: no time of day, none in the
    future, and (for neutrally named columns) birth years spread over decades. Fills age facts."""

    ENTITY = "DATE_OF_BIRTH"
    CONTEXT = ("birth", "born", "dob", "birthday")
    #: Neutral columns: the middle 80% of birth years must span this many years.
    MIN_SPREAD_YEARS = 15

    def new_state(self) -> DateStats:
        return DateStats()

    def hit(self, state: DateStats) -> bool:
        return bool(state.date_like) and state.with_time < 0.5 * state.date_like

    def screen(self, values: pl.Series, state: DateStats, column: ColumnView) -> None:
        ok = state.add(values, column.scan_date)
        room = column.max_examples - len(state.examples)
        if room > 0 and state.date_like:
            state.examples.extend(mask(v, self.ENTITY) for v in values.filter(ok).head(room).to_list())

    def verdict(self, state: DateStats, column: ColumnView) -> Verdict | None:
        if not state.date_like or not column.non_empty or column.hinted_none:
            return None
        hinted = column.hinted(self.ENTITY)
        share = state.plausible / column.non_empty
        if share < (0.5 if hinted else 0.85):
            return None
        if state.with_time > 0.05 * state.date_like or state.future > 0.02 * state.date_like:
            return None  # timestamps and appointment dates, not birthdays
        facts = state.age_facts(column.scan_date)
        if hinted:
            return Verdict(
                self.ENTITY, state.plausible, 0.9 + 0.05 * share, ["name", "pattern"], list(state.examples), facts
            )
        low, mid, high = (state.year_quantile(q) for q in (0.1, 0.5, 0.9))
        median_age = column.scan_date.year - mid
        if high - low >= self.MIN_SPREAD_YEARS and 10 <= median_age <= 100:
            return Verdict(self.ENTITY, state.plausible, 0.6 + 0.2 * share, ["pattern"], list(state.examples), facts)
        return None


class AgeRecognizer(PatternRecognizer):
    """Ages in years (0-120): only in columns named like ages."""

    ENTITY = "AGE"
    SOFT = True
    PATTERNS = (Pattern("age", r"\d{1,3}", 0.1),)
    CONTEXT = ("age",)
    MIN_SHARE_HINTED = 0.8

    def validate(self, text: str) -> bool:
        return int(text) <= 120


@dataclass
class GenderState:
    """Counts of values in the gender vocabulary, by group."""

    matched: int = 0
    groups: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def merge(self, other: GenderState, max_examples: int = 3) -> None:
        self.matched += other.matched
        for group, count in other.groups.items():
            self.groups[group] = self.groups.get(group, 0) + count
        self.examples = (self.examples + other.examples)[:max_examples]


@lru_cache(maxsize=1)
def _gender_terms() -> dict[str, list[str]]:
    return {group: [str(w).lower() for w in terms] for group, terms in vocabularies()["gender"].items()}


class GenderRecognizer(Recognizer):
    """Gender: a column whose values are (almost) all gender terms, with both female and male terms
    unless the name says gender or sex."""

    ENTITY = "GENDER"
    CONTEXT = ("gender", "sex")

    def new_state(self) -> GenderState:
        return GenderState()

    def screen(self, values: pl.Series, state: GenderState, column: ColumnView) -> None:
        lowered = values.str.to_lowercase()
        for group, terms in _gender_terms().items():
            hits = lowered.is_in(terms)
            count = int(hits.sum())
            if count:
                state.matched += count
                state.groups[group] = state.groups.get(group, 0) + count
                room = column.max_examples - len(state.examples)
                if room > 0:
                    state.examples.extend(mask(v, self.ENTITY) for v in values.filter(hits).head(room).to_list())

    def verdict(self, state: GenderState, column: ColumnView) -> Verdict | None:
        if not state.matched or not column.non_empty or column.hinted_none:
            return None
        share = state.matched / column.non_empty
        hinted = column.hinted(self.ENTITY)
        both = state.groups.get("female", 0) > 0 and state.groups.get("male", 0) > 0
        if share < (0.7 if hinted else 0.9) or not (hinted or both):
            return None
        confidence = (0.9 if hinted else 0.65) + 0.08 * share
        detectors = (["name"] if hinted else []) + ["vocabulary"]
        return Verdict(self.ENTITY, state.matched, confidence, detectors, list(state.examples))


_NAME_TOKEN = r"[^\W\d_](?:[^\W\d_]|['’.-])*"


class PersonNameRecognizer(PatternRecognizer):
    """Names of people in columns named like names (first, last, full). Neutrally named columns
    of names are left to NER (see :mod:`governance.scan.nlp`)."""

    ENTITY = "PERSON"
    SOFT = True
    PATTERNS = (Pattern("name words", rf"{_NAME_TOKEN}(?:,? {_NAME_TOKEN}){{0,4}}", 0.1),)
    CONTEXT = ("name", "first", "last", "surname", "holder")
    CONTEXT_ENTITIES = ("FIRST_NAME", "LAST_NAME")
    MIN_SHARE_HINTED = 0.7
    BASE_CONFIDENCE = 0.55

    def verdict(self, state: PatternState, column: ColumnView) -> Verdict | None:
        if column.hint is None or column.hint.entity not in (self.ENTITY, *self.CONTEXT_ENTITIES):
            return None
        found = super().verdict(state, column)
        if found is not None:
            found.entity = column.hint.entity
            found.detectors = ["name", "pattern"]
            found.confidence = min(0.95, found.confidence + 0.1)
        return found


class OccupationRecognizer(PatternRecognizer):
    """Occupations and job titles: values built around a job noun (``Retail manager``, ``Engineer, civil``)."""

    ENTITY = "OCCUPATION"
    SOFT = True
    CONTEXT = ("occupation", "job", "title", "profession")
    MIN_SHARE = 0.6
    MIN_SHARE_HINTED = 0.6
    BASE_CONFIDENCE = 0.6

    @property
    def PATTERNS(self) -> tuple[Pattern, ...]:
        return _occupation_patterns()


@lru_cache(maxsize=1)
def _occupation_patterns() -> tuple[Pattern, ...]:
    noun = (
        "(?:"
        + alternation("occupation_words", plural=True)
        + r"|[a-z]+(?:ologist|ician|iatrist|grapher|ometrist|apist)s?"
        + r"|[^\W\d_]+"
        + alternation("occupation_endings")
        + ")"
    )
    return (
        Pattern("job noun", rf"(?i)(?:[^\d@]*[^\dA-Za-z@])?{noun}(?:[^\dA-Za-z@][^\d@]*)?", 0.5),
        Pattern("job words", r"[^\W\d_][^\d@]{1,80}", 0.1),
    )


class OrganizationRecognizer(PatternRecognizer):
    """Company and organisation names: a legal form or company ending (``Inc.``, ``GmbH``, ``and Sons``)
    or the ``Smith, Jones and Brown`` partnership shape."""

    ENTITY = "ORGANIZATION"
    SOFT = True
    CONTEXT = ("company", "employer", "organization", "organisation")
    MIN_SHARE = 0.5
    MIN_SHARE_HINTED = 0.6
    BASE_CONFIDENCE = 0.55

    @property
    def PATTERNS(self) -> tuple[Pattern, ...]:
        return _organization_patterns()


@lru_cache(maxsize=1)
def _organization_patterns() -> tuple[Pattern, ...]:
    suffix = alternation("company_suffixes")
    prefix = alternation("company_prefixes")
    marker = words_alternation(words("company_words"))
    word = r"[A-Z][\w'’&.-]*"
    return (
        Pattern("firm word", rf"(?:[^@\n]*[\s(،,-])?(?i:{marker})(?:[\s)،,-][^@\n]*)?", 0.5),
        Pattern("legal form", rf"[^@\n]*[\w.)]\s*,?\s+(?i:{suffix})\.?", 0.5),
        Pattern("organisation word first", rf"(?i:{prefix})\s+[^@\n]+", 0.5),
        Pattern("partnership", rf"{word}(?:, {word})+,? (?:and|&|y|et|und|en) {word}", 0.5),
        Pattern("double-barrelled firm", r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+|[A-Z][a-z]+ (?:&|and) [A-Z][a-z]+", 0.5),
        Pattern("organisation words", r"[^\W_][^@\n]{1,100}", 0.1),
    )
