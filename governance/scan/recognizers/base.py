"""The recogniser contract: a pure function over a batch of one column's values.

A recogniser is shaped like Presidio's ``PatternRecognizer``: it declares
``ENTITY``, ``PATTERNS`` and ``CONTEXT`` and may implement ``validate`` (a
checksum; Presidio's ``validate_result``) and ``invalidate`` (pruning; Presidio's
``invalidate_result``). The same definitions serve three uses:

* the vectorised column screen: every row's stripped value is matched against
  ``^(?:patterns)$`` by polars (Rust regex, so patterns use no look-around and
  no back-references), then a bounded number of candidates is validated;
* the free-text leak screen: ``patterns`` find candidate cells in Rust, then
  every candidate in those cells is found and validated in Python;
* Presidio's analyzer, through :func:`governance.scan.nlp.presidio_recognizer`.

``screen`` only updates a small, mergeable state, so batches can be screened
anywhere (another process, a distributed engine) and the states merged.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from governance.masking import mask
from governance.scan.column_names import NameHint

if TYPE_CHECKING:
    import polars as pl

    from governance.scan.models import AgeFacts

#: Patterns scoring below this need a column-name hint (or context) to count.
STRONG = 0.5

#: Candidates validated per recogniser and column for column classification.
#: The regex screen covers every row; checksums run on this many candidates.
VALIDATION_BUDGET = 500


@dataclass(frozen=True)
class Pattern:
    """A named regular expression with Presidio's score semantics (Rust- and Python-compatible)."""

    name: str
    regex: str
    score: float

    @property
    def strong(self) -> bool:
        """True when a match counts without a column-name hint."""
        return self.score >= STRONG

    @property
    def group(self) -> str:
        """The regex as a non-capturing group; a leading ``(?i)`` becomes a scoped ``(?i:...)``
        so patterns can be joined (Python only accepts global flags at the very start)."""
        if self.regex.startswith("(?i)"):
            return f"(?i:{self.regex[4:]})"
        return f"(?:{self.regex})"


@dataclass
class ColumnView:
    """What a recogniser may know about the column it judges (never the raw values)."""

    name: str
    hint: NameHint | None
    scan_date: date
    max_examples: int = 3
    non_empty: int = 0
    distinct_ratio: float = 1.0
    #: Distinct values among those the ratio is measured over.
    distinct: int = 0
    mean_length: float = 0.0

    def hinted(self, *entities: str) -> bool:
        """True when the column name suggests one of ``entities``."""
        return self.hint is not None and self.hint.entity in entities

    @property
    def hinted_none(self) -> bool:
        """True when the name says the column is not personal (ids, amounts, timestamps)."""
        return self.hint is not None and self.hint.entity == "NONE"


@dataclass
class Verdict:
    """One recogniser's opinion of a whole column."""

    entity: str
    matched: int
    confidence: float
    detectors: list[str]
    examples: list[str] = field(default_factory=list)
    age_facts: AgeFacts | None = None

    def score(self, non_empty: int) -> float:
        """Ranking among competing verdicts: confidence times share."""
        return self.confidence * (self.matched / non_empty if non_empty else 0.0)


@dataclass
class PatternState:
    """Counts of one pattern recogniser over a column: regex matches and validated candidates."""

    matched: int = 0
    checked: int = 0
    valid: int = 0
    examples: list[str] = field(default_factory=list)

    def merge(self, other: PatternState, max_examples: int = 3) -> None:
        """Add another batch's (or worker's) counts to these."""
        self.matched += other.matched
        self.checked += other.checked
        self.valid += other.valid
        self.examples = (self.examples + other.examples)[:max_examples]

    @property
    def estimated_valid(self) -> int:
        """Regex matches times the valid share of the validated candidates."""
        if not self.checked:
            return 0
        return round(self.matched * self.valid / self.checked)


class Recognizer(ABC):
    """Base of every recogniser: one entity, judged over a whole column."""

    ENTITY: ClassVar[str]
    #: Words that, in a column name or near a match in free text, raise confidence.
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    #: Screen free-text cells for this entity (row by row, every candidate validated).
    LEAK: ClassVar[bool] = False

    @property
    def name(self) -> str:
        return type(self).__name__

    @abstractmethod
    def new_state(self) -> object:
        """An empty state for one column."""

    @abstractmethod
    def screen(self, values: pl.Series, state, column: ColumnView) -> None:
        """Update ``state`` with one batch of stripped, non-empty values (Utf8)."""

    @abstractmethod
    def verdict(self, state, column: ColumnView) -> Verdict | None:
        """The recogniser's verdict on the column, or None when it does not apply."""

    def hit(self, state) -> bool:
        """True when the state shows any evidence (keeps the recogniser active on later batches)."""
        return bool(getattr(state, "matched", 0))

    def merge(self, state, other, column: ColumnView) -> None:
        """Merge two states of the same column."""
        state.merge(other, column.max_examples)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Validated occurrences ``(start, end, text)`` of the entity in free text (``LEAK`` recognisers)."""
        return []


class PatternRecognizer(Recognizer):
    """A Presidio-shaped regex recogniser with optional checksum validation.

    Subclasses set ``PATTERNS`` (strong ones count on their own; weak ones only
    when the column name hints at the entity) and may override ``validate``
    (checksum: True/False, or None when there is none) and ``invalidate``.
    """

    PATTERNS: ClassVar[tuple[Pattern, ...]]
    #: ``validate`` is a checksum (reported as the ``checksum`` detector).
    CHECKSUM: ClassVar[bool] = False
    #: Share of non-empty values that must match (validated) for a column verdict.
    MIN_SHARE: ClassVar[float] = 0.6
    #: Share needed when the column name hints at the entity.
    MIN_SHARE_HINTED: ClassVar[float] = 0.3
    #: Base confidence of a verdict from strong patterns alone.
    BASE_CONFIDENCE: ClassVar[float] = 0.7
    #: Flags for the Python side of the patterns (the Rust side takes inline flags).
    FLAGS: ClassVar[int] = 0
    #: Other entities whose name hints also unlock the weak patterns.
    CONTEXT_ENTITIES: ClassVar[tuple[str, ...]] = ()
    #: The verdict rests on word shapes or vocabularies rather than a distinctive format: a column
    #: whose name says it is not personal (``sku``, ``vendor``, ``status``) gets no such verdict.
    SOFT: ClassVar[bool] = False
    #: Wrap the free-text regex in word boundaries (off for patterns starting with ``+``, ``(`` or ``$``).
    TEXT_BOUNDARY: ClassVar[bool] = True

    def new_state(self) -> PatternState:
        return PatternState()

    # -- regexes -----------------------------------------------------------
    @staticmethod
    def _union(patterns) -> str | None:
        parts = [p.group for p in patterns]
        return "|".join(parts) if parts else None

    @staticmethod
    def _anchored(union: str | None) -> str | None:
        # Word boundaries add nothing between ^ and $, and Unicode ones keep Rust off its fast DFA.
        return f"^(?:{union.replace(chr(92) + 'b', '')})$" if union else None

    @cached_property
    def strong_value_regex(self) -> str | None:
        """Anchored union of the strong patterns, for whole values."""
        return self._anchored(self._union(p for p in self.PATTERNS if p.strong))

    @cached_property
    def weak_value_regex(self) -> str | None:
        """Anchored union of the weak patterns, counted only when the column name hints at the entity.

        Kept apart from the strong union: joining a large alternation with a long bounded
        repetition makes Rust's DFA give up and run ten times slower."""
        return self._anchored(self._union(p for p in self.PATTERNS if not p.strong))

    @cached_property
    def text_regex(self) -> str | None:
        """Unanchored union of the strong patterns, for free text (between word boundaries unless ``TEXT_BOUNDARY`` is off)."""
        union = self._union(p for p in self.PATTERNS if p.strong)
        if not union:
            return None
        return f"\\b(?:{union})\\b" if self.TEXT_BOUNDARY else f"(?:{union})"

    @cached_property
    def _text_compiled(self) -> re.Pattern | None:
        return re.compile(self.text_regex, self.FLAGS) if self.text_regex else None

    # -- validation ---------------------------------------------------------
    def validate(self, text: str) -> bool | None:
        """Checksum or structural validation of one candidate; None when there is none."""
        return None

    def invalidate(self, text: str) -> bool:
        """True when a candidate must be dropped (known test values, impossible parts)."""
        return False

    def accept(self, text: str) -> bool:
        """True when a regex candidate survives validation."""
        return self.validate(text) is not False and not self.invalidate(text)

    # -- column screen --------------------------------------------------------
    def value_regexes(self, column: ColumnView) -> list[str]:
        """The regexes the column screen uses: strong patterns, and weak ones too when the name hints."""
        regexes = [self.strong_value_regex]
        if column.hinted(self.ENTITY, *self.CONTEXT_ENTITIES):
            regexes.append(self.weak_value_regex)
        return [r for r in regexes if r]

    def screen(self, values: pl.Series, state: PatternState, column: ColumnView) -> None:
        regexes = self.value_regexes(column)
        if not regexes:
            return
        hits = values.str.contains(regexes[0])
        for regex in regexes[1:]:
            hits = hits | values.str.contains(regex)
        count = int(hits.sum())
        if not count:
            return
        state.matched += count
        room = VALIDATION_BUDGET - state.checked
        if room <= 0:
            return
        for candidate in values.filter(hits).head(room).to_list():
            state.checked += 1
            if self.accept(candidate):
                state.valid += 1
                if len(state.examples) < column.max_examples:
                    state.examples.append(mask(candidate, self.ENTITY))

    def confidence(self, share: float, column: ColumnView) -> float:
        """Confidence of a column verdict with this share of valid values."""
        conf = self.BASE_CONFIDENCE + 0.2 * share
        if self.CHECKSUM:
            conf += 0.1
        if column.hinted(self.ENTITY):
            conf += 0.1
        return min(conf, 0.99)

    def detectors(self, column: ColumnView) -> list[str]:
        names = ["name"] if column.hinted(self.ENTITY) else []
        names.append("pattern")
        if self.CHECKSUM:
            names.append("checksum")
        return names

    def verdict(self, state: PatternState, column: ColumnView) -> Verdict | None:
        matched = state.estimated_valid
        if not matched or not column.non_empty or (self.SOFT and column.hinted_none):
            return None
        share = matched / column.non_empty
        needed = self.MIN_SHARE_HINTED if column.hinted(self.ENTITY) else self.MIN_SHARE
        if share < needed:
            return None
        return Verdict(
            self.ENTITY, matched, self.confidence(share, column), self.detectors(column), list(state.examples)
        )

    # -- free text -----------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, str]]:
        if not self.LEAK or self._text_compiled is None:
            return []
        found = []
        for match in self._text_compiled.finditer(text):
            candidate = self.trim(match.group(0))
            start = match.end() - len(candidate) if candidate else match.start()
            # A greedy match may have swallowed a following word or number group: drop
            # trailing groups until the candidate validates (IBANs and cards written in groups).
            while not self.accept(candidate):
                head, sep, _ = candidate.rstrip().rpartition(" ")
                if not sep or len(head) < 6:
                    candidate = ""
                    break
                candidate = head
            if candidate:
                found.append((start, start + len(candidate), candidate))
        return found

    def trim(self, matched: str) -> str:
        """The value inside a free-text match (patterns that start with a context word drop it here)."""
        return matched


def digits(text: str) -> str:
    """Only the ASCII digits of ``text``."""
    return "".join(c for c in text if "0" <= c <= "9")
