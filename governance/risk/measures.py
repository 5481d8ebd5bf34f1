"""Re-identification risk of a table on its quasi-identifiers: k-anonymity, l-diversity and k-map.

A table is read as a stream of batches; each batch is reduced to the counts of its
equivalence classes (rows sharing every quasi-identifier value, an empty cell being
a value of its own) and the counts are merged, so memory grows with the number of
classes, not of rows. The measures are those of Sweeney's k-anonymity, Machanavajjhala
et al.'s (distinct) l-diversity and the k-map of El Emam and Dankar, as Google's
Sensitive Data Protection reports them.

Nothing here keeps or returns a quasi-identifier value: a :class:`RiskReport` holds
counts and shares only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import polars as pl

#: Class-size thresholds whose record shares are reported (k = 2, 5, 11).
THRESHOLDS = (2, 5, 11)
_COUNT = "__records__"
_DISTINCT = "__distinct__"
_POPULATION = "__population__"
#: Reduce the rows read so far to class counts whenever this many have piled up.
_COMPACT_ROWS = 2_000_000


@dataclass
class KMap:
    """Sample classes against a population table: each class's population count."""

    k_map: int
    classes_absent_from_population: int
    records_in_classes_below: dict[int, float]


@dataclass
class RiskReport:
    """Counts and shares only; no quasi-identifier value."""

    quasi_identifiers: list[str]
    records: int
    classes: int
    k: int
    unique_records: int
    unique_share: float
    records_in_classes_below: dict[int, float]
    class_sizes: dict[str, int]
    sensitive: str | None = None
    l_diversity: int | None = None
    classes_below_l2: int | None = None
    k_map: KMap | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["records_in_classes_below"] = {f"k<{t}": v for t, v in self.records_in_classes_below.items()}
        if self.k_map is not None:
            data["k_map"]["records_in_classes_below"] = {
                f"k<{t}": v for t, v in self.k_map.records_in_classes_below.items()
            }
        return data


def class_counts(
    batches: Iterable[pl.DataFrame], quasi: Sequence[str], sensitive: str | None = None, weight: str | None = None
) -> pl.DataFrame:
    """One row per distinct (quasi-identifiers[, sensitive]) combination with its record count.

    ``weight`` names a column holding how many people each row stands for (a population
    table of counts); without it each row is one record.
    """
    keys = [*quasi, *([sensitive] if sensitive else [])]
    count = pl.col(weight).cast(pl.Int64) if weight else pl.lit(1, dtype=pl.Int64)
    pending: list[pl.DataFrame] = []
    rows = 0
    for batch in batches:
        pending.append(batch.with_columns(count.alias(_COUNT)).select([*keys, _COUNT]))
        rows += batch.height
        if rows > _COMPACT_ROWS:
            pending = [_merge(pending, keys)]
            rows = pending[0].height
    if not pending:
        return pl.DataFrame(schema={**{k: pl.String for k in keys}, _COUNT: pl.Int64})
    return _merge(pending, keys)


def _merge(partials: list[pl.DataFrame], keys: Sequence[str]) -> pl.DataFrame:
    return _group(pl.concat(partials), keys, [pl.col(_COUNT).sum()])


def _group(frame: pl.DataFrame, keys: Sequence[str], aggs: list[pl.Expr]) -> pl.DataFrame:
    """``frame`` grouped on ``keys`` (all of it one group when there are none); polars' lazy engine is
    several times faster than the eager one on string keys."""
    if not keys:
        return frame.select(aggs)
    return frame.lazy().group_by(list(keys)).agg(aggs).collect()


def _classes(counts: pl.DataFrame, quasi: Sequence[str], sensitive: str | None) -> pl.DataFrame:
    aggs = [pl.col(_COUNT).sum()]
    if sensitive:
        aggs.append(pl.col(sensitive).n_unique().alias(_DISTINCT))
    return _group(counts, quasi, aggs)


def _size_histogram(sizes: pl.Series) -> dict[str, int]:
    """Classes by size band: how many classes hold 1, 2-4, 5-10, 11-99 and 100 or more records."""
    bands = [(1, 1), (2, 4), (5, 10), (11, 99), (100, None)]
    hist = {}
    for low, high in bands:
        mask = sizes >= low if high is None else (sizes >= low) & (sizes <= high)
        hist[f"{low}+" if high is None else (f"{low}" if low == high else f"{low}-{high}")] = int(mask.sum())
    return hist


def _shares_below(sizes: pl.Series, weights: pl.Series, records: int) -> dict[int, float]:
    return {t: round(float(weights.filter(sizes < t).sum()) / records, 6) if records else 0.0 for t in THRESHOLDS}


def assess(
    counts: pl.DataFrame,
    quasi: Sequence[str],
    sensitive: str | None = None,
    population: pl.DataFrame | None = None,
) -> RiskReport:
    """The risk measures of a table given its :func:`class_counts` (and a population's, for k-map)."""
    classes = _classes(counts, quasi, sensitive)
    sizes = classes[_COUNT]
    records = int(sizes.sum()) if classes.height else 0
    unique = int((sizes == 1).sum())
    report = RiskReport(
        quasi_identifiers=list(quasi),
        records=records,
        classes=classes.height,
        k=int(sizes.min()) if classes.height else 0,
        unique_records=unique,
        unique_share=round(unique / records, 6) if records else 0.0,
        records_in_classes_below=_shares_below(sizes, sizes, records),
        class_sizes=_size_histogram(sizes),
        sensitive=sensitive,
    )
    if sensitive and classes.height:
        distinct = classes[_DISTINCT]
        report.l_diversity = int(distinct.min())
        report.classes_below_l2 = int((distinct < 2).sum())
    if population is not None:
        report.k_map = _k_map(classes, population, quasi, records)
    return report


def _k_map(classes: pl.DataFrame, population: pl.DataFrame, quasi: Sequence[str], records: int) -> KMap:
    """Each sample class's count in the population (``population`` is a :func:`class_counts` frame)."""
    pop = _group(population, quasi, [pl.col(_COUNT).sum().alias(_POPULATION)])
    joined = (
        classes.lazy().join(pop.lazy(), on=list(quasi), how="left", nulls_equal=True)
        .with_columns(pl.col(_POPULATION).fill_null(0)).collect()
    )
    pop_sizes = joined[_POPULATION]
    return KMap(
        k_map=int(pop_sizes.min()) if joined.height else 0,
        classes_absent_from_population=int((pop_sizes == 0).sum()),
        records_in_classes_below=_shares_below(pop_sizes, joined[_COUNT], records),
    )

