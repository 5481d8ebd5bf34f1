"""``governance deidentify`` as a library call: transform a table, reach k, verify, then write atomically.

1. Each column gets a transformation (:mod:`governance.risk.transforms`): the one the spec
   names, else, under ``safe-harbor``, the one ``governance/data/safe_harbor_transforms.yaml``
   gives for what the scanner finds in it (identifier columns dropped, ZIP codes to three
   digits, dates of birth to the year, ages over 89 to 90+, identifiers in free text redacted).
2. With ``k:N`` the quasi-identifiers are generalised one level at a time (the one with most
   distinct values first) until the rows in classes smaller than N fit the suppression
   budget; those rows are removed.
3. The output is written to a temporary file and checked: :func:`measure_risk` must find k
   of at least N, and under ``safe-harbor`` the scanner must find none of the 18 identifiers
   except in columns whose every value has the Safe Harbor form. Only then is the file
   moved into place. :class:`Outcome.verified` lists each check that passed, as it passed.
"""

from __future__ import annotations

import io
import itertools
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from governance.errors import ConfigError, GovernanceError, InputError
from governance.fileio import atomic_write
from governance.risk.api import measure_risk
from governance.risk.measures import RiskReport
from governance.risk.spec import DeidentifySpec, Profile
from governance.risk.tables import open_table, quasi_identifier_entities
from governance.risk.transforms import TRANSFORMS, Context, restricted_zip3, safe_harbor_defaults
from governance.rules.facts import hipaa_identifier
from governance.scan.models import Finding
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY

#: Output formats by file suffix.
WRITERS = {".csv": lambda frame, buf: frame.write_csv(buf), ".parquet": lambda frame, buf: frame.write_parquet(buf)}
#: Most combinations of generalisation levels searched.
MAX_LATTICE = 4096
#: Transformations whose output is a Safe Harbor form that can be generalised further.
_GENERALISABLE_QI = ("zip3", "year", "birth_year", "age")


class VerificationError(GovernanceError):
    """The transformed table failed a check; nothing was written."""

    exit_code = 1


@dataclass
class ColumnPlan:
    transform: str
    reason: str
    level: int = 0


@dataclass
class Outcome:
    """What was done and what was checked."""

    output: str
    profile: Profile
    rows_in: int
    rows_out: int
    columns: dict[str, ColumnPlan]
    quasi_identifiers: list[str]
    risk: RiskReport | None = None
    verified: list[str] = field(default_factory=list)
    not_verified: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> int:
        return self.rows_in - self.rows_out


def _scan(path: str, options: ScanOptions) -> list[Finding]:
    from governance.scan.api import scan

    result = scan([path], options)
    if result.errors:
        raise InputError(result.errors[0].message, where=result.errors[0].source)
    return result.findings


def plan_columns(columns: list[str], spec: DeidentifySpec, findings: list[Finding], profile: Profile) -> dict[str, ColumnPlan]:
    """The transformation of every column, with why it was chosen."""
    unknown = [c for c in [*spec.columns, *spec.quasi_identifiers, *([spec.sensitive] if spec.sensitive else [])]
               if c not in columns]
    if unknown:
        raise ConfigError(f"the spec names column '{unknown[0]}', which the table does not have",
                          hint=f"columns: {', '.join(columns)}")
    plan = {c: ColumnPlan(t, "the spec") for c, t in spec.columns.items()}
    defaults = safe_harbor_defaults()
    for finding in findings:
        if finding.column in plan or finding.column not in columns or not profile.safe_harbor:
            continue
        ident = hipaa_identifier(finding.entity, finding.category)
        if ident is None:
            continue
        name = defaults["leak"] if finding.kind == "leak" else defaults["by_entity"].get(finding.entity, defaults["default"])
        plan[finding.column] = ColumnPlan(name, f"the scanner found {finding.entity} ({ident.citation})")
    for column in columns:
        plan.setdefault(column, ColumnPlan("keep", "no identifier found"))
    if profile.safe_harbor:
        barred = [c for c, p in plan.items() if not TRANSFORMS[p.transform].safe_harbor]
        if barred:
            raise ConfigError(f"column '{barred[0]}': {TRANSFORMS[plan[barred[0]].transform].doc}",
                              hint="drop the column or use the k:N profile without safe-harbor")
    return {c: plan[c] for c in columns}


def _quasi(spec: DeidentifySpec, plan: dict[str, ColumnPlan], findings: list[Finding]) -> list[str]:
    if spec.quasi_identifiers:
        return list(spec.quasi_identifiers)
    wanted = set(quasi_identifier_entities())
    found = {f.column for f in findings if f.kind == "column" and f.entity in wanted}
    return [c for c, p in plan.items() if p.transform != "drop" and (p.transform in _GENERALISABLE_QI or c in found)]


def _generalise(frame: pl.DataFrame, plan: dict[str, ColumnPlan], quasi: list[str], k: int, budget: float,
                ctx: Context) -> pl.DataFrame:
    """The least generalisation of the quasi-identifiers (fewest levels in all, then fewest rows removed, then
    most classes) whose classes below ``k`` hold at most ``budget`` of the rows; those rows are removed.
    Every combination of levels is tried, lowest total first (a full search of the generalisation lattice)."""
    for q in quasi:
        if TRANSFORMS[plan[q].transform].levels is None:
            raise ConfigError(f"quasi-identifier '{q}' is transformed by '{plan[q].transform}', which cannot be generalised",
                              hint="give it keep, zip3, year, birth_year or age")
    ranges = [range(TRANSFORMS[plan[q].transform].max_level + 1) for q in quasi]
    nodes = sorted(itertools.product(*ranges), key=sum)
    if len(nodes) > MAX_LATTICE:
        raise ConfigError(f"{len(quasi)} quasi-identifiers make {len(nodes)} generalisations to search",
                          hint=f"name fewer quasi_identifiers (at most {MAX_LATTICE} combinations are searched)")
    for _, same_height in itertools.groupby(nodes, key=sum):
        fits = []
        for node in same_height:
            levels = dict(zip(quasi, node))
            current, small = _at_levels(frame, plan, quasi, levels, k, ctx)
            if small <= budget * current.height and current.height - small >= k:
                classes = current.select(pl.struct(quasi).n_unique()).item() if quasi else 1
                fits.append((small, -classes, node, current))
        if fits:
            _, _, node, current = min(fits, key=lambda f: (f[0], f[1], f[2]))
            for q, level in zip(quasi, node):
                plan[q].level = level
            return current.filter(pl.len().over(quasi) >= k) if quasi else current
    _, small = _at_levels(frame, plan, quasi, dict(zip(quasi, nodes[-1])), k, ctx)
    raise VerificationError(
        f"k={k} cannot be reached: with every quasi-identifier suppressed, {small} of "
        f"{frame.height} rows are in classes below k", hint="lower k, raise max_suppression or add rows")


def _at_levels(frame, plan, quasi, levels, k, ctx) -> tuple[pl.DataFrame, int]:
    """The frame with each quasi-identifier at its level, and how many rows sit in classes below k."""
    current = frame.with_columns([
        TRANSFORMS[plan[q].transform].levels(pl.col(q), levels[q], ctx).alias(q) for q in quasi
    ])
    return current, int(current.select((pl.len().over(quasi) < k).sum()).item())


def _form_problems(frame: pl.DataFrame, plan: dict[str, ColumnPlan], ctx: Context) -> list[str]:
    """Columns of Safe Harbor form whose values do not all have it (counts only)."""
    problems = []
    for column, p in plan.items():
        t = TRANSFORMS[p.transform]
        if t.safe_form is None or column not in frame.columns:
            continue
        values = frame[column].drop_nulls()
        bad = int((~values.str.contains(t.safe_form(ctx))).sum())
        if t.name == "zip3":
            bad += int(values.is_in(restricted_zip3()).sum())
        if t.year_floor:
            years = values.str.extract_all(r"\d{4}").explode().drop_nulls().cast(pl.Int32)
            bad += int((years <= ctx.cutoff).sum())
        if bad:
            problems.append(f"{column}: {bad} value(s) not in the {t.name} form")
    return problems


def _verify(path: Path, plan: dict[str, ColumnPlan], quasi: list[str], sensitive: str | None, profile: Profile,
            frame: pl.DataFrame, ctx: Context, scan_options: ScanOptions, outcome: Outcome) -> None:
    if profile.k:
        report = measure_risk(str(path), quasi, sensitive=sensitive) if quasi else None
        if report is None or report.k < profile.k:
            raise VerificationError(f"the written rows have k={report.k if report else 0}, below {profile.k}")
        outcome.risk = report
        outcome.verified.append(
            f"re-reading the output, every class on {', '.join(quasi)} has at least {profile.k} records (k={report.k})")
    if profile.safe_harbor:
        problems = _form_problems(frame, plan, ctx)
        if problems:
            raise VerificationError("the output fails the Safe Harbor forms", details=problems)
        formed = {c for c, p in plan.items() if TRANSFORMS[p.transform].safe_form is not None}
        hits = [f for f in _scan(str(path), scan_options)
                if hipaa_identifier(f.entity, f.category) is not None and not (f.kind == "column" and f.column in formed)]
        if hits:
            raise VerificationError(
                "the scanner still finds Safe Harbor identifiers in the output",
                details=[f"{f.column}: {f.entity} in {f.matched} of {f.non_empty} values"
                         f" ({hipaa_identifier(f.entity, f.category).citation})" for f in hits])
        how = "" if scan_options.ner else " (without the spaCy model: names in free text are not looked for)"
        outcome.verified.append("re-scanning the output finds none of the 18 identifiers of 45 CFR 164.514(b)(2)(i) "
                                f"outside the generalised columns{how}")
        if formed & set(frame.columns):
            outcome.verified.append(f"every value of {', '.join(c for c in frame.columns if c in formed)} has its Safe "
                                    f"Harbor form (ZIP3 with the restricted prefixes as 000, years, 90+)")
        kept = [c for c, p in plan.items() if p.transform == "keep"]
        if kept:
            outcome.not_verified.append(
                f"columns kept as they are ({', '.join(kept)}): the scanner found no identifier in them, but dates it "
                "does not take for personal (admission, visit, discharge) and codes or characteristics of the person "
                "must also go (164.514(b)(2)(i)(C), (R)); name them in the spec")
        outcome.not_verified.append("that the organisation has no actual knowledge that the rest could identify "
                                    "anyone (45 CFR 164.514(b)(2)(ii)): only you can state that")
        outcome.not_verified.append("restricted ZIP3 list: 2000 Census (HHS guidance, 2012); replace "
                                    "governance/data/restricted_zip3.yaml when newer Census figures apply")


def deidentify(
    source: str,
    output: str | Path,
    profile: Profile,
    spec: DeidentifySpec | None = None,
    *,
    table: str | None = None,
    as_of: date | None = None,
    key: bytes | None = None,
    ner: bool = False,
) -> Outcome:
    """Write a de-identified copy of one table of ``source`` to ``output`` (``.csv`` or ``.parquet``)."""
    spec = spec or DeidentifySpec()
    output = Path(output)
    writer = WRITERS.get(output.suffix.lower())
    if writer is None:
        raise ConfigError(f"cannot write '{output.suffix or output.name}' files", where=str(output),
                          hint=f"give a file ending in {' or '.join(WRITERS)}")
    scan_options = ScanOptions(ner=ner)
    stream = open_table(source, table, scan_options)
    parts = [b.drop(ROW_KEY, strict=False) for b in stream.batches]
    frame = pl.concat(parts) if parts else pl.DataFrame(schema={c: pl.String for c in stream.columns})
    needs_scan = profile.safe_harbor or not spec.quasi_identifiers
    findings = [f for f in _scan(source, scan_options) if not table or f.table == table] if needs_scan else []
    plan = plan_columns(list(stream.columns), spec, findings, profile)
    if any(p.transform == "pseudonymise" for p in plan.values()) and not key:
        raise ConfigError("pseudonymise needs a key", hint="give --key-file FILE or set GOVERNANCE_PSEUDONYM_KEY")
    ctx = Context((as_of or date.today()).year, key)
    transformed = frame.with_columns([
        TRANSFORMS[p.transform].expr(pl.col(c), ctx).alias(c) for c, p in plan.items() if p.transform != "drop"
    ]).drop([c for c, p in plan.items() if p.transform == "drop"])
    quasi = _quasi(spec, plan, findings)
    dropped_qi = [q for q in quasi if plan[q].transform == "drop"]
    if dropped_qi:
        raise ConfigError(f"quasi-identifier '{dropped_qi[0]}' is dropped", hint="remove it from quasi_identifiers")
    if profile.k:
        transformed = _generalise(transformed, plan, quasi, profile.k, spec.max_suppression, ctx)
    outcome = Outcome(str(output), profile, frame.height, transformed.height, plan, quasi)
    buffer = io.BytesIO()
    writer(transformed, buffer)
    with tempfile.TemporaryDirectory(prefix=".deidentify-", dir=output.parent if output.parent.exists() else None) as tmp:
        check = Path(tmp) / output.name
        check.write_bytes(buffer.getvalue())
        _verify(check, plan, quasi, spec.sensitive, profile, transformed, ctx, scan_options, outcome)
    with atomic_write(output, "wb") as fh:
        fh.write(buffer.getvalue())
    return outcome
