"""Render a benchmark run as Markdown (RESULTS.md): pure functions over measurements."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.scoring import LEAK_TARGETS, Prediction, Score

#: Leak columns of the accuracy table: heading -> the planted entities counted there (national IDs differ by table).
LEAK_COLUMNS = {
    "SSN / national ID": ("US_SSN", "NATIONAL_ID"),
    "card": ("CREDIT_CARD",),
    "IBAN": ("IBAN_CODE",),
    "e-mail": ("EMAIL_ADDRESS",),
    "phone": ("PHONE_NUMBER",),
}
#: Short names of the planted entities in the targets table.
LEAK_LABELS = {"US_SSN": "SSN", "NATIONAL_ID": "national ID", "CREDIT_CARD": "card", "IBAN_CODE": "IBAN", "EMAIL_ADDRESS": "e-mail", "PHONE_NUMBER": "phone"}
#: Table variants in report order.
LOCALE_LABELS = {"en": "international (en)", "fa": "Persian / Iran (fa)", "vi": "Vietnamese (vi)"}
TOOL_LABELS = {
    "ours": "governance (ours)",
    "presidio_structured": "presidio-structured PandasAnalysisBuilder",
    "presidio_batch": "Presidio BatchAnalyzerEngine",
}


@dataclass
class Measurement:
    """One tool run on one dataset: what it cost and how right it was."""

    tool: str
    dataset: str
    rows: int
    columns: int
    neutral: bool
    size_mb: float
    locale: str = "en"
    figures: dict = field(default_factory=dict)
    score: Score | None = None
    prediction: Prediction | None = None
    error: str = ""
    note: str = ""
    #: Presidio reports with score >= 0.5 only (its default keeps every score).
    score_at_half: Score | None = None

    @property
    def wall(self) -> float:
        return self.figures.get("wall_s", float("nan"))

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.wall if self.figures else float("nan")

    @property
    def label(self) -> str:
        return f"{TOOL_LABELS[self.tool]}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _num(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def _main_peak(figures: dict) -> str:
    return _num(figures["hwm_main_mb"]) if "hwm_main_mb" in figures else "not recorded"


def _load(figures: dict) -> str:
    if "load_before" not in figures:
        return "not recorded"
    return f"{figures['load_before']:.1f} → {figures['load_after']:.1f}"


def speed_table(ms: list[Measurement]) -> list[str]:
    lines = [
        "| tool | dataset | rows | columns | CSV MB | wall s | rows/s | MB/s | peak RSS, process tree (MB) | peak RSS, main process (MB) | machine load before → after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in ms:
        if m.error:
            lines.append(f"| {m.label} | {m.dataset} | {m.rows:,} | {m.columns} | {m.size_mb:.1f} | failed | | | | | |")
            continue
        f = m.figures
        lines.append(
            f"| {m.label} | {m.dataset} | {m.rows:,} | {m.columns} | {m.size_mb:.1f} | {m.wall:.2f} | {_num(m.rows_per_s)} | "
            f"{m.size_mb / m.wall:.2f} | {_num(f['peak_rss_tree_mb'])} | {_main_peak(f)} | {_load(f)} |"
        )
    return lines


def _leak_cells(score: Score | None) -> list[str]:
    if score is None or score.leaks is None:
        return ["n/a"] * (len(LEAK_COLUMNS) + 1)
    leaks = score.leaks
    cells = []
    for entities in LEAK_COLUMNS.values():
        planted = sum(leaks.planted.get(e, 0) for e in entities)
        cells.append(f"{sum(leaks.found.get(e, 0) for e in entities)}/{planted}" if planted else "—")
    return cells + [f"{_pct(leaks.precision)} ({leaks.true_positives}/{leaks.reported})"]


def accuracy_table(ms: list[Measurement]) -> list[str]:
    lines = [
        f"| tool | dataset | column accuracy | non-personal columns flagged | {' | '.join(LEAK_COLUMNS)} | leak precision |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in ms:
        if m.error or m.score is None:
            lines.append(f"| {m.label} | {m.dataset} | failed | | | | | | | |")
            continue
        s = m.score
        correct = sum(c.correct for c in s.columns)
        lines.append(
            f"| {m.label} | {m.dataset} | {_pct(s.accuracy)} ({correct}/{len(s.columns)}) | {len(s.flagged_nonpersonal)} | "
            + " | ".join(_leak_cells(s))
            + " |"
        )
        if m.score_at_half is not None and m.score_at_half.leaks is not None:
            lines.append(f"| {m.label}, reports scored ≥ 0.5 only | {m.dataset} | | | " + " | ".join(_leak_cells(m.score_at_half)) + " |")
    return lines


def ratio_table(ours: list[Measurement], peers: list[Measurement]) -> list[str]:
    lines = [
        "| peer | peer rows | peer rows/s | ours on the same rows: rows/s | ratio (same rows) | ours at the largest size: rows/s | ratio (largest size) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    ok = [m for m in ours if not m.error and not m.neutral]
    international = [m for m in ok if m.locale == "en"]
    largest = max(international, key=lambda m: m.rows) if international else None
    for peer in peers:
        if peer.error:
            lines.append(f"| {peer.label} | {peer.rows:,} | failed | | | | |")
            continue
        same = next((m for m in ok if m.dataset == peer.dataset), None)
        same_cells = f"{_num(same.rows_per_s)} | {same.rows_per_s / peer.rows_per_s:,.0f}×" if same else "n/a | n/a"
        big_cells = f"{_num(largest.rows_per_s)} ({largest.rows:,} rows) | {largest.rows_per_s / peer.rows_per_s:,.0f}×" if largest else "n/a | n/a"
        lines.append(f"| {peer.label} | {peer.rows:,} | {peer.rows_per_s:,.1f} | {same_cells} | {big_cells} |")
    return lines


def misses_section(ms: list[Measurement]) -> list[str]:
    lines = []
    for m in ms:
        if m.error or m.score is None:
            continue
        misses = m.score.misses
        lines.append(f"**{m.label} — {m.dataset}**: " + ("no misses." if not misses else f"{len(misses)} misses."))
        if misses:
            lines += ["", "| column | source column | expected | got | also reported |", "|---|---|---|---|---|"]
            for c in misses:
                lines.append(f"| {c.column} | {c.source_name} | {c.expected or 'null (not personal)'} | {c.got or 'nothing'} | {', '.join(c.also) or ''} |")
        lines.append("")
    return lines


def leak_details(ms: list[Measurement], limit: int = 25) -> list[str]:
    lines = []
    for m in ms:
        if m.error or m.score is None or m.score.leaks is None:
            continue
        leaks = m.score.leaks
        if not leaks.missed and not leaks.false_positives:
            lines.append(f"**{m.label} — {m.dataset}**: every planted leak found, no false positive.")
            lines.append("")
            continue
        lines.append(f"**{m.label} — {m.dataset}**: {len(leaks.missed)} planted leaks missed, {len(leaks.false_positives)} false positives.")
        if leaks.missed:
            lines += ["", "| missed: CSV line | entity | form |", "|---:|---|---|"]
            lines += [f"| {x['line']} | {x['entity']} | {x['form']} |" for x in leaks.missed[:limit]]
            if len(leaks.missed) > limit:
                lines.append(f"| … | {len(leaks.missed) - limit} more | |")
        if leaks.false_positives:
            by_kind: dict[tuple[str, str], int] = {}
            for _, category, entity in leaks.false_positives:
                by_kind[(entity, category)] = by_kind.get((entity, category), 0) + 1
            lines += ["", "| false positives: entity reported | category | count |", "|---|---|---:|"]
            lines += [f"| {e} | {c} | {n} |" for (e, c), n in sorted(by_kind.items(), key=lambda kv: -kv[1])]
        if m.prediction and (m.prediction.stray_leaks or m.prediction.unreadable_keys or m.prediction.truncated):
            p = m.prediction
            lines.append(f"\nLeak findings outside the notes column: {p.stray_leaks}; unreadable row keys: {p.unreadable_keys}; row keys cut short: {p.truncated}.")
        lines.append("")
    return lines


def _quality_rows(add, ok: list[Measurement], targets: dict[str, float], suffix: str) -> None:
    """The accuracy, flagging, leak recall and precision targets over the scans of one table variant."""
    for neutral, floor in ((True, 0.95), (False, 0.98)):
        mine = [m for m in ok if m.neutral == neutral]
        if mine:
            add(
                f"column accuracy ≥ {floor:.2f} with {'neutral' if neutral else 'real'} column names{suffix}",
                ", ".join(f"{m.dataset}: {_pct(m.score.accuracy)}" for m in mine),
                all(m.score.accuracy >= floor for m in mine),
            )
    flagged = sum(len(m.score.flagged_nonpersonal) for m in ok)
    add(f"no non-personal column flagged{suffix}", f"{flagged} flagged over {len(ok)} scans", flagged == 0)
    with_leaks = [m for m in ok if m.score.leaks is not None]
    if not with_leaks:
        return
    largest = max(with_leaks, key=lambda m: m.rows)
    leaks = largest.score.leaks
    strict = "/".join(LEAK_LABELS[e] for e, t in targets.items() if t == 1.0)
    add(
        f"leak recall 100 % {strict}, ≥ 95 % {'/'.join(LEAK_LABELS[e] for e, t in targets.items() if t < 1.0)}{suffix}",
        f"{largest.dataset}: " + ", ".join(f"{e} {_pct(leaks.recall(e))}" for e in targets if leaks.planted.get(e)),
        all(leaks.recall(e) >= t for e, t in targets.items() if leaks.planted.get(e)),
    )
    add(f"leak precision ≥ 0.95{suffix}", ", ".join(f"{m.dataset}: {_pct(m.score.leaks.precision)}" for m in with_leaks), all(m.score.leaks.precision >= 0.95 for m in with_leaks))


def targets_table(ours: list[Measurement], peers: list[Measurement]) -> list[str]:
    ok = [m for m in ours if not m.error and m.score is not None]
    rows = ["| target (issues 3 and 7) | measured | met |", "|---|---|---|"]

    def add(target: str, measured: str, met: bool | None) -> None:
        rows.append(f"| {target} | {measured} | {'—' if met is None else ('yes' if met else '**no**')} |")

    big = [m for m in ok if m.rows >= 1_000_000]
    if big:
        walls = ", ".join(f"{m.dataset}: {m.wall:.1f} s" for m in big)
        add("1,000,000 rows, every row screened: ≤ 60 s wall", walls, all(m.wall <= 60 for m in big))
        rss = ", ".join(f"{m.dataset}: {m.figures['peak_rss_tree_mb']:,.0f} MB" for m in big)
        add("peak RSS ≤ 2 GB (whole process tree)", rss, all(m.figures["peak_rss_tree_mb"] <= 2048 for m in big))
    else:
        add("1,000,000 rows ≤ 60 s, peak RSS ≤ 2 GB", "not run", None)
    locales = [locale for locale in LOCALE_LABELS if any(m.locale == locale for m in ok)]
    for locale in locales:
        suffix = f" — {LOCALE_LABELS[locale]}" if len(locales) > 1 else ""
        _quality_rows(add, [m for m in ok if m.locale == locale], LEAK_TARGETS[locale], suffix)
    for structured in (p for p in peers if p.tool == "presidio_structured" and not p.error):
        same = next((m for m in ok if m.dataset == structured.dataset), None)
        if same:
            ratio = same.rows_per_s / structured.rows_per_s
            better = all(m.score.accuracy > structured.score.accuracy for m in ok if m.rows == same.rows and m.locale == same.locale)
            add(
                "≥ 100× the rows/s of presidio-structured, at better accuracy" + (f" — {LOCALE_LABELS[same.locale]}" if len(locales) > 1 else ""),
                f"{ratio:,.0f}× on the same {same.rows:,} rows; accuracy {_pct(same.score.accuracy)} vs {_pct(structured.score.accuracy)}",
                ratio >= 100 and better,
            )
    return rows


def render(meta: dict, ours: list[Measurement], peers: list[Measurement]) -> str:
    """The whole RESULTS.md."""
    out = [
        "# Scanner benchmark results",
        "",
        f"- Date: {meta['date']}",
        f"- Command: `{meta['command']}`",
        f"- Machine: {meta['machine']}",
        f"- Software: {meta['versions']}",
        f"- Data: {meta['data']}",
        "",
        (
            "Times are from one run on a shared machine: read the ratios, not the absolute numbers. "
            "Wall time runs from the file path to the answer (reading, model loading and analysis), in a fresh "
            "child process with the libraries already imported. Peak RSS is sampled every 50 ms over the child and "
            "all its worker processes. How each figure is computed: `benchmarks/README.md`."
        ),
        "",
    ]
    out += [f"> {line}" for line in meta.get("notes", [])]
    out += ["", "## Against the targets", ""] + targets_table(ours, peers)
    out += ["", "## Speed and memory", ""] + speed_table(ours + peers)
    out += ["", "## Accuracy", "", "Leak columns: planted leaks found / planted, in the free-text `notes` column."]
    out += [""] + accuracy_table(ours + peers)
    out += ["", "## Speed ratio (rows/s ours ÷ rows/s peer)", ""] + ratio_table(ours, peers)
    out += ["", "## Column misses (expected vs got)", ""] + misses_section(ours + peers)
    out += ["## Leak misses and false positives", ""] + leak_details(ours + [p for p in peers if p.tool == "presidio_batch"])
    errors = [m for m in ours + peers if m.error]
    if errors:
        out += ["## Failures", ""] + [f"- {m.label} on {m.dataset}: `{m.error.splitlines()[-1]}`" for m in errors] + [""]
    return "\n".join(out).rstrip() + "\n"


#: RESULTS.md's last section, written by ``benchmarks/incremental.py`` and kept when ``run.py`` rewrites the rest.
INCREMENTAL_HEADING = "## Incremental scans (--state)"


def incremental_section(text: str) -> str:
    """The incremental-scan section of a RESULTS.md text ('' when it has none)."""
    at = text.find(INCREMENTAL_HEADING)
    return text[at:] if at >= 0 else ""


def with_incremental_section(text: str, section: str) -> str:
    """``text`` with its incremental-scan section replaced by ``section`` (appended when it had none)."""
    at = text.find(INCREMENTAL_HEADING)
    head = (text[:at] if at >= 0 else text).rstrip("\n")
    return f"{head}\n\n{section.rstrip()}\n" if section else head + "\n"
