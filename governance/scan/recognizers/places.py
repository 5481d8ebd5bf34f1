"""Provinces and towns known by name (Iran's provinces and their capitals, Vietnam's provinces).

Place names carry no shape a pattern could see, so a column is judged by the share of
its values found in the short lists of ``places`` in ``governance/data/value_vocabularies.yaml``.
Values are compared whole, lower-case, without a leading ``استان``/``Tỉnh``/``TP.`` and
without diacritics (Vietnamese data writes ``Thanh Hóa`` and ``Thanh Hoá``, or no accents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from governance.masking import mask
from governance.scan.normalize import normalize_text
from governance.scan.recognizers.base import ColumnView, Recognizer, Verdict
from governance.scan.recognizers.vocabulary import vocabularies

#: Share of a neutrally named column that must be listed places; with a CITY or STATE name hint.
MIN_SHARE = 0.8
MIN_SHARE_HINTED = 0.5


def fold_places(values: pl.Series) -> pl.Series:
    """Values as the place lists are compared: lower-case, without combining marks (accents, Arabic
    short vowels, the madda and hamza written above a letter), ``đ`` as ``d``, spaces collapsed."""
    return (
        values.str.to_lowercase()
        .str.normalize("NFD")
        .str.replace_all(r"\p{Mn}|\u0640", "")
        .str.replace_all("đ", "d", literal=True)
        .str.replace_all(r"[\s\-–]+", " ")
        .str.strip_chars()
    )


@lru_cache(maxsize=1)
def _lists() -> tuple[str, frozenset[str], frozenset[str]]:
    """The leading words to drop (a regex), and the folded province and town names of every country."""
    countries = vocabularies()["places"].values()

    def folded(words) -> list[str]:
        return fold_places(pl.Series([normalize_text(str(w)) for w in words], dtype=pl.Utf8)).to_list()

    prefixes = sorted({p for c in countries for p in folded(c["prefixes"])}, key=len, reverse=True)
    lead = "^(?:" + "|".join(re.escape(p) for p in prefixes) + r")\s*"
    states = frozenset(s for c in countries for s in folded(c["states"]))
    cities = frozenset(s for c in countries for s in folded(c["cities"]))
    return lead, states, cities


@dataclass
class PlaceState:
    """Values found among the listed provinces, and among the listed towns."""

    states: int = 0
    cities: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return max(self.states, self.cities)

    def merge(self, other: PlaceState, max_examples: int = 3) -> None:
        self.states += other.states
        self.cities += other.cities
        self.examples = (self.examples + other.examples)[:max_examples]


class ListedPlaceRecognizer(Recognizer):
    """Provinces (STATE) and towns (CITY) from the place lists. Many Iranian provinces share their
    capital's name, so a column is the kind of place more of its values are listed as; a CITY or
    STATE name hint settles it."""

    ENTITY = "STATE"
    CONTEXT_ENTITIES = ("CITY",)
    CONTEXT = ("province", "state", "city", "استان", "شهر", "tỉnh")

    def new_state(self) -> PlaceState:
        return PlaceState()

    def screen(self, values: pl.Series, state: PlaceState, column: ColumnView) -> None:
        lead, states, cities = _lists()
        folded = fold_places(values).str.replace(lead, "")
        in_states, in_cities = folded.is_in(list(states)), folded.is_in(list(cities))
        state.states += int(in_states.sum())
        state.cities += int(in_cities.sum())
        room = column.max_examples - len(state.examples)
        if room > 0:
            listed = values.filter(in_states | in_cities).head(room).to_list()
            state.examples.extend(mask(v, self.ENTITY) for v in listed)

    def verdict(self, state: PlaceState, column: ColumnView) -> Verdict | None:
        n = column.non_empty
        if not n or column.hinted_none or not state.matched:
            return None
        counts = {"STATE": state.states, "CITY": state.cities}
        hinted = column.hint.entity if column.hinted("STATE", "CITY") else None
        entity = hinted or ("STATE" if state.states > state.cities else "CITY")
        share = counts[entity] / n
        if share < (MIN_SHARE_HINTED if hinted else MIN_SHARE):
            return None
        confidence = (0.88 if hinted else 0.62) + 0.1 * share
        detectors = (["name"] if hinted else []) + ["vocabulary"]
        return Verdict(entity, counts[entity], confidence, detectors, list(state.examples))


__all__ = ["ListedPlaceRecognizer", "fold_places"]
