"""What every generated customer table shares: pooled sampling, gaps, phones, e-mails, birth dates, leak placing.

A table subclass sets ``self.pools`` (country code -> :class:`~benchmarks.pools.LocalePool`)
and ``self.country`` (each row's country code) and builds its columns from these helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from benchmarks import identifiers as ids
from benchmarks.pools import ascii_slug
from governance.taxonomy import entity_category

#: The date ages are computed on and recent dates count back from.
AS_OF = date(2025, 6, 30)


def birth_dates(rng: np.random.Generator, n: int, as_of: date) -> tuple[np.ndarray, np.ndarray]:
    """Dates of birth of adults (18 to 90 on ``as_of``, as datetime64[D]) and their ages."""
    dob = np.datetime64(as_of.isoformat()) - rng.integers(int(18 * 365.25) + 1, int(91 * 365.25), size=n).astype("timedelta64[D]")
    years = dob.astype("datetime64[Y]").astype(int) + 1970
    month = dob.astype("datetime64[M]").astype(int) % 12 + 1
    day = (dob - dob.astype("datetime64[M]")).astype(int) + 1
    age = as_of.year - years - ((as_of.month < month) | ((as_of.month == month) & (as_of.day < day)))
    return dob, age


class TableBase:
    """Row count, random generator and the sampling helpers of one table."""

    pools: dict
    country: np.ndarray

    def __init__(self, rows: int, seed: int):
        self.n = rows
        self.rng = np.random.default_rng(seed)

    def pick(self, field: str, rows: np.ndarray | None = None) -> np.ndarray:
        """A pooled value of each row's country (``rows`` limits to some rows)."""
        rows = np.arange(self.n) if rows is None else rows
        out = np.empty(len(rows), dtype=object)
        country = self.country[rows]
        for code, pool in self.pools.items():
            mine = np.flatnonzero(country == code)
            values = pool.values[field]
            out[mine] = values[self.rng.integers(0, len(values), size=len(mine))]
        return out

    def blank(self, values: np.ndarray, share: float) -> np.ndarray:
        """Empty ``share`` of the cells, as real tables have gaps."""
        values = values.astype(object)
        values[self.rng.random(len(values)) < share] = None
        return values

    def digits(self, width: int, n: int | None = None) -> np.ndarray:
        n = self.n if n is None else n
        return ids.to_str(ids.digit_chars(self.rng.integers(0, 10, size=(n, width)))).astype(object)

    def phones(self, form: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Valid numbers of each row's country; ``form`` names a pool attribute ``phone_<form>``."""
        rows = np.arange(self.n) if rows is None else rows
        out = np.empty(len(rows), dtype=object)
        country = self.country[rows]
        for code, pool in self.pools.items():
            mine = np.flatnonzero(country == code)
            templates = getattr(pool, f"phone_{form}")
            out[mine] = templates[self.rng.integers(0, len(templates), size=len(mine))]
        return out + self.digits(2, len(rows))

    def emails(self, first: np.ndarray, last: np.ndarray, slug: Callable[[str], str] = ascii_slug) -> np.ndarray:
        """Addresses made from the names (``slug`` turns a name into ASCII) at a free-mail domain."""
        slug_first = np.array([slug(v) or "info" for v in first], dtype=object)
        slug_last = np.array([slug(v) or "mail" for v in last], dtype=object)
        initial = np.array([v[0] for v in slug_first], dtype=object)
        styles = [slug_first + "." + slug_last, slug_first + slug_last, initial + "." + slug_last, slug_first + "_" + slug_last]
        local = ids.mixed(self.rng, styles, [0.4, 0.2, 0.25, 0.15])
        suffix = np.where(self.rng.random(self.n) < 0.35, self.rng.integers(1, 2000, size=self.n).astype(str), "").astype(object)
        return local + suffix + "@" + self.pick("email_domain")

    def place_leaks(
        self,
        notes: np.ndarray,
        rows: np.ndarray,
        entities: np.ndarray,
        values: dict[str, tuple[np.ndarray, list[str]]],
        sentence: Callable[[str, str, str], str],
    ) -> list[dict]:
        """Write each row's leak (``values[entity]``: values and forms, in row order) into ``notes``; return the truth.

        ``sentence(entity, value, order)`` makes the leak note; three in ten follow an ordinary note.
        """
        orders = "ORD-" + self.digits(8, len(rows))
        cursor = dict.fromkeys(values, 0)
        leaks = []
        for row, entity, order in zip(rows, entities, orders):
            vals, forms = values[entity]
            i = cursor[entity]
            cursor[entity] += 1
            text = sentence(entity, vals[i], order)
            if notes[row] is not None and self.rng.random() < 0.3:
                text = f"{notes[row]} {text}"
            notes[row] = text
            leaks.append(
                {
                    "row": int(row),
                    "line": int(row) + 2,
                    "customer_id": str(int(row) + 1),
                    "entity": entity,
                    "category": entity_category(entity),
                    "form": forms[i],
                }
            )
        return leaks
