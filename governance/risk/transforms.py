"""Column transformations of a de-identified export, in one registry: what each does, how it
generalises further, and what its values must look like to meet the HIPAA Safe Harbor method
(45 CFR 164.514(b)(2)(i)).

A transformation is a polars expression over a text column. Generalisation levels start at 0
(the transformation's own output) and end with ``*`` (suppressed).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import polars as pl
import yaml

from governance.resources import data_file

SUPPRESSED = "*"
OVER_89 = "90+"
REDACTED = "[REDACTED]"
HMAC_PREFIX = "hmac-sha256:"
_YEAR = r"(?:^|\D)((?:1[89]|20)\d{2})(?:\D|$)"


@dataclass(frozen=True)
class Context:
    """What transformations need besides the column: the year ages are reckoned in, and the HMAC key."""

    as_of_year: int
    key: bytes | None = None

    @property
    def cutoff(self) -> int:
        """Birth years up to this one may mean an age over 89: they become ``90+``."""
        return self.as_of_year - 90


@cache
def restricted_zip3() -> tuple[str, ...]:
    """Three-digit ZIP prefixes written as 000 (governance/data/restricted_zip3.yaml names its source)."""
    return tuple(yaml.safe_load(data_file("restricted_zip3.yaml").read_text(encoding="utf-8"))["prefixes"])


@cache
def safe_harbor_defaults() -> dict:
    """The transformation of each identifier the scanner finds or the inventory declares
    (governance/data/safe_harbor_transforms.yaml)."""
    return yaml.safe_load(data_file("safe_harbor_transforms.yaml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- transformations


def _zip3(c: pl.Expr, ctx: Context) -> pl.Expr:
    digits = c.str.replace_all(r"\D", "")
    prefix = pl.when(digits.str.len_chars() >= 5).then(digits.str.slice(0, 3))
    return pl.when(prefix.is_in(restricted_zip3())).then(pl.lit("000")).otherwise(prefix)


def _year(c: pl.Expr, ctx: Context) -> pl.Expr:
    return c.str.extract(_YEAR, 1)


def _birth_year(c: pl.Expr, ctx: Context) -> pl.Expr:
    year = _year(c, ctx)
    return pl.when(year.cast(pl.Int32) <= ctx.cutoff).then(pl.lit(OVER_89)).otherwise(year)


def _age(c: pl.Expr, ctx: Context) -> pl.Expr:
    age = c.str.extract(r"^(\d{1,3})(?:\D|$)", 1).cast(pl.Int32)
    return pl.when(age > 89).then(pl.lit(OVER_89)).otherwise(age.cast(pl.String))


def _pseudonymise(c: pl.Expr, ctx: Context) -> pl.Expr:
    key = ctx.key or b""

    def code(value: str) -> str:
        return HMAC_PREFIX + hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    return c.map_elements(code, return_dtype=pl.String, skip_nulls=True)


def _redact(c: pl.Expr, ctx: Context) -> pl.Expr:
    from governance.scan.recognizers import leak_recognizers

    screens = leak_recognizers()

    def redact(text: str) -> str:
        spans = sorted({(s, e) for r in screens for s, e, _ in r.find(text)})
        out, last = [], 0
        for start, end in spans:
            if start >= last:
                out.append(text[last:start] + REDACTED)
                last = end
        return "".join(out) + text[last:]

    return c.map_elements(redact, return_dtype=pl.String, skip_nulls=True)


# --------------------------------------------------------------------------- generalisation


#: Widths, in years, of the bands years are generalised to, level by level, before suppression.
YEAR_BANDS = (10, 30)


def _band(c: pl.Expr, width: int, floor: int | None) -> pl.Expr:
    """``1955`` -> ``1950-1959`` (width 10); a band never starts at or below ``floor`` - 1 (the 90+ years)."""
    year = c.cast(pl.Int32, strict=False)
    low = (year // width) * width
    if floor is not None:
        low = pl.max_horizontal(low, pl.lit(floor))
    label = low.cast(pl.String) + "-" + ((year // width) * width + width - 1).cast(pl.String)
    return pl.when(year.is_not_null()).then(label).otherwise(c)


def _zip_levels(c: pl.Expr, level: int, ctx: Context) -> pl.Expr:
    return [c, c.str.slice(0, 1) + "**"][level] if level < 2 else _suppress(c)


def _year_levels(c: pl.Expr, level: int, ctx: Context, floor: int | None = None) -> pl.Expr:
    if level == 0:
        return c
    return _band(c, YEAR_BANDS[level - 1], floor) if level <= len(YEAR_BANDS) else _suppress(c)


def _birth_year_levels(c: pl.Expr, level: int, ctx: Context) -> pl.Expr:
    return _year_levels(c, level, ctx, ctx.cutoff + 1)


def _age_levels(c: pl.Expr, level: int, ctx: Context) -> pl.Expr:
    if level >= 2:
        return _suppress(c)
    if level == 0:
        return c
    age = c.cast(pl.Int32, strict=False)
    band = (age // 5 * 5).cast(pl.String) + "-" + pl.min_horizontal(age // 5 * 5 + 4, pl.lit(89)).cast(pl.String)
    return pl.when(age.is_not_null()).then(band).otherwise(c)


def _keep_levels(c: pl.Expr, level: int, ctx: Context) -> pl.Expr:
    return c if level == 0 else _suppress(c)


def _suppress(c: pl.Expr) -> pl.Expr:
    """Every value, empty ones included, becomes ``*``: one class, which says nothing about the value."""
    return pl.lit(SUPPRESSED, dtype=pl.String)


# --------------------------------------------------------------------------- Safe Harbor forms


def _zip3_form(ctx: Context) -> str:
    return r"^(\d{3}|\d\*\*|\*)$"


def _year_form(ctx: Context) -> str:
    return r"^(\d{4}|\d{4}-\d{4}|\*)$"


def _age_form(ctx: Context) -> str:
    return r"^(\d{1,2}|\d{1,2}-\d{1,2}|90\+|\*)$"


def _birth_year_form(ctx: Context) -> str:
    return r"^(\d{4}|\d{4}-\d{4}|90\+|\*)$"


@dataclass(frozen=True)
class Transform:
    """One way to transform a column.

    ``levels`` generalises the output further (``None``: it cannot be), through the levels
    named in ``level_names`` (level 0 first); ``safe_form`` is the
    regular expression every value of a Safe Harbor column must match (with ``min_year``
    checks for years), ``None`` when the output is not one of the Safe Harbor forms;
    ``safe_harbor`` says whether the profile allows it at all.
    """

    name: str
    expr: Callable[[pl.Expr, Context], pl.Expr] | None
    levels: Callable[[pl.Expr, int, Context], pl.Expr] | None = None
    level_names: tuple[str, ...] = ()
    safe_form: Callable[[Context], str] | None = None
    year_floor: bool = False
    safe_harbor: bool = True
    doc: str = ""

    @property
    def max_level(self) -> int:
        return max(len(self.level_names) - 1, 0)


_YEAR_LEVELS = ("year", *(f"{w}-year bands" for w in YEAR_BANDS), "suppressed")

#: transformation name -> what it does. ``drop`` removes the column.
TRANSFORMS: dict[str, Transform] = {
    t.name: t
    for t in (
        Transform("keep", lambda c, ctx: c, _keep_levels, ("as is", "suppressed"), doc="keep the values (generalised to * for k)"),
        Transform("drop", None, doc="remove the column"),
        Transform("zip3", _zip3, _zip_levels, ("three digits", "first digit", "suppressed"), _zip3_form,
                  doc="the first three ZIP digits, 000 for restricted prefixes (164.514(b)(2)(i)(B))"),
        Transform("year", _year, _year_levels, _YEAR_LEVELS, _year_form, doc="the year of a date (164.514(b)(2)(i)(C))"),
        Transform("birth_year", _birth_year, _birth_year_levels, _YEAR_LEVELS, _birth_year_form, year_floor=True,
                  doc="the year of birth, years implying an age over 89 as 90+ (164.514(b)(2)(i)(C))"),
        Transform("age", _age, _age_levels, ("age", "5-year bands", "suppressed"), _age_form, doc="ages over 89 as 90+ (164.514(b)(2)(i)(C))"),
        Transform("redact", _redact, doc="identifiers typed into free text replaced by [REDACTED]"),
        Transform("pseudonymise", _pseudonymise, safe_harbor=False,
                  doc="a keyed HMAC-SHA256 code; a code derived from the value is not allowed under "
                      "Safe Harbor (45 CFR 164.514(c)(1))"),
    )
}
