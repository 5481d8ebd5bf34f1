"""The detection engine: turns a :class:`TableStream` into column verdicts and free-text leaks.

The core is :func:`screen_batch`, a pure function from one batch of a column's
values to an updated :class:`ColumnAccumulator`; every row of every column goes
through the vectorised screens. :class:`TableScanner` only feeds batches
(columns in parallel threads: polars releases the GIL), runs NER on small
samples once the table is read, settles the columns no recogniser claimed by
how they agree with other columns in the same rows (ages, identity numbers,
postal codes), and turns accumulators into findings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

from governance.masking import mask
from governance.scan.ages import ages_agree
from governance.scan.column_names import FREE_TEXT, hint_for
from governance.scan.cross_columns import birth_years_agree, codes_fit_countries, codes_follow_places
from governance.scan.models import Finding
from governance.scan.normalize import normalize_cells
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY, TableStream
from governance.scan.readers.frames import check_cell_sizes
from governance.scan.recognizers import (
    ColumnView,
    PatternRecognizer,
    Recognizer,
    Verdict,
    leak_recognizers,
    recognizers,
)
from governance.scan.recognizers.vietnam import cccd_birth_years
from governance.taxonomy import entity_category

#: Non-empty values seen before a column is judged free text or structured.
TEXT_DECIDE_AFTER = 20
#: Non-empty values seen before the recognisers that found nothing are dropped.
PRUNE_AFTER = 200
#: Distinct values kept per column for NER and shape checks.
COLUMN_SAMPLE = 150
#: The first values of a column over which its distinct ratio is measured, so that the ratio
#: (and every verdict that reads it) does not change with the table's size or the batch size.
DISTINCT_WINDOW = 10_000
#: Free-text cells (those with a run of capitalised words) kept per column for NER.
FREE_TEXT_NER_CELLS = 400
#: Distinct values a neutrally named column needs before NER may call it names, places or companies.
MIN_NER_DISTINCT = 10
#: Mean length of a column free text by its content: three in ten values prose (long), or three in
#: ten sentences (short notes: "Caller gave SSN ... for the credit check."), whatever the column's name.
PROSE_MIN_LENGTH = 30
SENTENCES_MIN_LENGTH = 15
#: Words (with letters) of a sentence: a value ending in . ! or ?
SENTENCE_WORDS = 3
#: A value with at least this many words counts as prose.
PROSE_WORDS = 6
#: Share of a long-valued column's sample that must be street addresses for it to stay structured.
ADDRESS_SHARE = 0.6
ADDRESS = "STREET_ADDRESS"
#: Two capitalised words in a row: a free-text cell that may name a person.
NAME_IN_TEXT = r"\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)? [A-Z][a-z]+"
#: A value made of capitalised words (how names, places and companies are written).
NAME_SHAPED = re.compile(
    r"^(?:[A-Z][\w'’.&-]*|of|and|the|de|van|von|der|la|le|du|da|di|y|&)(?:[ ,-]+(?:[A-Z][\w'’.&-]*|of|and|the|de|van|von|der|la|le|du|da|di|y|&))*\.?$"
)
#: Rows of the first batch kept to compare a column of numbers with the table's birth dates and places.
AGE_CHECK_ROWS = 5_000
#: A 12-digit personal identification number (Vietnam's CCCD), whose birth year the row's birth date can confirm.
ID_WITH_BIRTH_YEAR = re.compile(r"^\d{12}$")
#: A numeric postal code (4-6 digits, or a ZIP+4), which the row's province or city can confirm.
POSTAL_SHAPE = re.compile(r"^\d{4,6}$|^\d{5}-\d{4}$")
#: Distinct values a column of codes needs before its agreement with the places counts.
MIN_CODE_DISTINCT = 20
#: A house number written in a column of its own (12, 12a, 9-11, 95/24).
HOUSE_NUMBER = re.compile(r"^\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?$")
#: A state or province written as its two-letter code (CA, NY, ON; three letters would take currency codes).
REGION_CODE = re.compile(r"^[A-Z]{2}$")
#: Address parts a table needs beside a column of region codes for it to count as states.
ADDRESS_PARTS = ("STREET_ADDRESS", "CITY", "POSTAL_CODE")
#: Share of rows whose code must fit the postal-code format of the row's country.
POSTAL_FIT = 0.9
#: Verdicts naming a place: provinces, states, cities, districts.
PLACE_ENTITIES = ("STATE", "CITY", "LOCATION")
#: A neutral sentence around single-word values: bare surnames get no NER label half the time.
CARRIER = "I saw {} yesterday."
#: Entities NER can confirm or decide.
NER_FAMILY = {
    "PERSON": ("PERSON", "FIRST_NAME", "LAST_NAME"),
    "LOCATION": ("LOCATION", "CITY", "STATE", "COUNTRY", "STREET_ADDRESS"),
    "ORGANIZATION": ("ORGANIZATION",),
}

ProgressCallback = Callable[[str, object], None]


@dataclass
class TableScanOutcome:
    """What one table produced."""

    findings: list[Finding]
    rows_scanned: int


@dataclass
class LeakState:
    """Free-text cells in which one entity was found (and validated)."""

    rows: int = 0
    row_keys: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def add(self, key: str, found: str, entity: str, max_keys: int, max_examples: int) -> None:
        self.rows += 1
        if len(self.row_keys) < max_keys:
            self.row_keys.append(key)
        if len(self.examples) < max_examples:
            self.examples.append(mask(found, entity))

    def merge(self, other: LeakState, max_keys: int, max_examples: int) -> None:
        self.rows += other.rows
        self.row_keys = (self.row_keys + other.row_keys)[:max_keys]
        self.examples = (self.examples + other.examples)[:max_examples]


@dataclass
class ColumnAccumulator:
    """Everything the engine keeps about one column while the table streams past (no raw values
    except the small samples NER needs and the distinct-ratio window, which never leave the process)."""

    view: ColumnView
    rows: int = 0
    total_length: int = 0
    prose_values: int = 0
    sentence_values: int = 0
    window: pl.Series = field(default_factory=lambda: pl.Series(dtype=pl.Utf8))
    _window_counted: int = 0
    free_text: bool | None = None
    pruned: bool = False
    states: dict[str, object] = field(default_factory=dict)
    active: list[Recognizer] = field(default_factory=list)
    leaks: dict[str, LeakState] = field(default_factory=dict)
    sample: list[str] = field(default_factory=list)
    ner_cells: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def for_column(cls, name: str, options: ScanOptions) -> ColumnAccumulator:
        view = ColumnView(
            name=name, hint=hint_for(name), scan_date=options.scan_date, max_examples=options.max_examples
        )
        active = list(recognizers())
        return cls(view=view, states={r.name: r.new_state() for r in active}, active=active)

    @property
    def non_empty(self) -> int:
        return self.view.non_empty

    def refresh_view(self) -> None:
        """Copy the running statistics recognisers may consult into the column view."""
        seen = self.view.non_empty
        self.view.mean_length = self.total_length / seen if seen else 0.0
        if len(self.window) != self._window_counted:  # the window stops growing once full: count it once
            self.view.distinct = self.window.n_unique()
            self.view.distinct_ratio = self.view.distinct / len(self.window) if len(self.window) else 1.0
            self._window_counted = len(self.window)


def screen_batch(
    acc: ColumnAccumulator, column: pl.Series, keys: pl.Series, options: ScanOptions, classify: bool = True
) -> None:
    """Screen one batch of one column (every row) and update its accumulator.

    ``column`` holds the raw cells (Utf8, null when empty); ``keys`` the row keys.
    With ``classify=False`` only free-text leak screening runs (rows past ``sample_rows``).
    """
    acc.rows += len(column)
    values = normalize_cells(column)  # Persian digits, ي/ی, NFC; ASCII untouched
    present = values.is_not_null() & (values != "")
    values, keys = values.filter(present), keys.filter(present)
    if values.is_empty():
        return
    acc.view.non_empty += len(values)
    if len(acc.window) < DISTINCT_WINDOW:
        acc.window = pl.concat([acc.window, values.head(DISTINCT_WINDOW - len(acc.window))])
    acc.total_length += int(values.str.len_chars().sum())
    if acc.free_text is None:
        acc.prose_values += int((values.str.count_matches(r"\s+") >= PROSE_WORDS - 1).sum())
        lettered = values.str.count_matches(r"\s+[^\W\d_]")  # words after the first that have letters
        acc.sentence_values += int(((lettered >= SENTENCE_WORDS - 1) & values.str.contains(r"[.!?]$")).sum())
    room = COLUMN_SAMPLE - len(acc.sample)
    if room > 0:
        acc.sample.extend(values.unique(maintain_order=True).head(room).to_list())
    acc.refresh_view()
    if acc.free_text is None and acc.non_empty >= TEXT_DECIDE_AFTER:
        _decide(acc)

    if acc.free_text is not False:
        _screen_leaks(acc, values, keys, options)
    if acc.free_text is not True and classify:
        for recognizer in acc.active:
            recognizer.screen(values, acc.states[recognizer.name], acc.view)
    if acc.free_text is False and not acc.pruned and acc.non_empty >= PRUNE_AFTER:
        _prune(acc)


def _decide(acc: ColumnAccumulator) -> None:
    """Judge the column free text (prose, or named like notes) or structured."""
    view = acc.view
    prose = acc.prose_values / view.non_empty if view.non_empty else 0.0
    named = view.hint is not None and view.hint.personal  # long addresses (Vietnamese: one word per syllable)
    sentences = acc.sentence_values / view.non_empty if view.non_empty else 0.0
    long_text = not named and ((view.mean_length >= PROSE_MIN_LENGTH and prose >= 0.3) or (view.mean_length >= SENTENCES_MIN_LENGTH and sentences >= 0.3))
    acc.free_text = view.hinted(FREE_TEXT) or (long_text and not addresses(acc.sample))
    if acc.free_text:
        acc.active = []
    else:
        acc.leaks.clear()
        acc.ner_cells.clear()


def addresses(sample: list[str]) -> bool:
    """True when most values are street addresses (long, but not prose: Vietnamese and Persian
    addresses run to six words and more)."""
    if not sample:
        return False
    values = pl.Series(sample, dtype=pl.Utf8)
    shaped = pl.Series([False] * len(sample))
    for recognizer in recognizers():
        if recognizer.ENTITY == ADDRESS and isinstance(recognizer, PatternRecognizer) and recognizer.strong_value_regex:
            shaped = shaped | values.str.contains(recognizer.strong_value_regex)
    return int(shaped.sum()) >= ADDRESS_SHARE * len(sample)


def _prune(acc: ColumnAccumulator) -> None:
    """Drop the recognisers that found nothing in the first values of a structured column."""
    view = acc.view
    acc.active = [
        r for r in acc.active if r.hit(acc.states[r.name]) or view.hinted(r.ENTITY, *getattr(r, "CONTEXT_ENTITIES", ()))
    ]
    acc.pruned = True


def _screen_leaks(acc: ColumnAccumulator, values: pl.Series, keys: pl.Series, options: ScanOptions) -> None:
    """Find every validated SSN, card number, IBAN, e-mail address, ... typed into free-text cells."""
    screens = leak_recognizers()
    flags = pl.DataFrame({f"f{i}": values.str.contains(r.text_regex) for i, r in enumerate(screens)})
    candidate = flags.select(pl.any_horizontal(pl.all())).to_series()
    if candidate.any():
        rows = pl.DataFrame({"k": keys, "v": values}).hstack(flags).filter(candidate)
        for key, text, *hit in rows.iter_rows():
            claimed: list[tuple[int, int]] = []
            for recognizer, flagged in zip(screens, hit):
                if not flagged:
                    continue
                for start, end, found in recognizer.find(text):
                    if any(start < e and s < end for s, e in claimed):
                        continue  # part of a longer, more specific match (a card number is not a phone number)
                    claimed.append((start, end))
                    leak = acc.leaks.setdefault(recognizer.ENTITY, LeakState())
                    leak.add(str(key), found, recognizer.ENTITY, options.max_row_keys, options.max_examples)
                    break  # one count per row and entity
    room = FREE_TEXT_NER_CELLS - len(acc.ner_cells)
    if options.ner and room > 0:
        named = values.str.contains(NAME_IN_TEXT)
        if named.any():
            acc.ner_cells.extend(pl.DataFrame({"k": keys, "v": values}).filter(named).head(room).iter_rows())


def merge_accumulators(acc: ColumnAccumulator, other: ColumnAccumulator, options: ScanOptions) -> None:
    """Combine the accumulators of the same column built from different batches (another worker, another node)."""
    acc.rows += other.rows
    acc.view.non_empty += other.view.non_empty
    acc.total_length += other.total_length
    acc.prose_values += other.prose_values
    acc.sentence_values += other.sentence_values
    acc.window = pl.concat([acc.window, other.window]).head(DISTINCT_WINDOW)
    for recognizer in recognizers():
        if recognizer.name in acc.states and recognizer.name in other.states:
            recognizer.merge(acc.states[recognizer.name], other.states[recognizer.name], acc.view)
    for entity, leak in other.leaks.items():
        acc.leaks.setdefault(entity, LeakState()).merge(leak, options.max_row_keys, options.max_examples)
    acc.sample = (acc.sample + other.sample)[:COLUMN_SAMPLE]
    acc.ner_cells = (acc.ner_cells + other.ner_cells)[:FREE_TEXT_NER_CELLS]
    acc.refresh_view()


# -- verdicts -------------------------------------------------------------------


def pattern_verdicts(acc: ColumnAccumulator) -> list[Verdict]:
    """Every recogniser's verdict on a structured column, in registry order."""
    found = []
    for recognizer in recognizers():
        state = acc.states.get(recognizer.name)
        if state is None:
            continue
        verdict = recognizer.verdict(state, acc.view)
        if verdict is not None:
            found.append(verdict)
    return found


def wants_ner(acc: ColumnAccumulator, verdicts: list[Verdict]) -> bool:
    """NER runs on columns of capitalised words that patterns did not settle (or settled as names, places, companies)."""
    if acc.free_text or not acc.sample or acc.view.hinted_none:
        return False
    best = best_verdict(verdicts, acc.non_empty)
    ner_entities = {e for family in NER_FAMILY.values() for e in family}
    if best is not None and best.entity not in ner_entities:
        return False
    if len(acc.sample) < MIN_NER_DISTINCT and not (acc.view.hint is not None and acc.view.hint.personal):
        return False  # a handful of repeated words is a category (currencies, products), not names
    return name_shaped_share(acc.sample) >= 0.8


def name_shaped_share(sample: list[str]) -> float:
    """Share of values written like names: capitalised words with lower-case letters, no digits."""
    if not sample:
        return 0.0
    shaped = sum(
        1 for v in sample if NAME_SHAPED.match(v) and any(c.islower() for c in v) and not any(c.isdigit() for c in v)
    )
    return shaped / len(sample)


def ner_labels(results_per_value: list[tuple[str, list]], start: int = 0) -> list[str | None]:
    """For each value, the NER entity covering at least half of it (or None).

    ``start`` is where the value begins in the text NER saw (see :data:`CARRIER`).
    """
    labels = []
    for text, results in results_per_value:
        cover: Counter[str] = Counter()
        for r in results:
            overlap = min(r.end, start + len(text)) - max(r.start, start)
            if overlap > 0:
                cover[r.entity_type] += overlap
        label, size = cover.most_common(1)[0] if cover else (None, 0)
        labels.append(label if size >= 0.5 * len(text) else None)
    return labels


def single_words(sample: list[str]) -> bool:
    """True when a column's values are mostly one word each (NER needs a sentence around them)."""
    return sum(len(v.split()) for v in sample) <= 1.3 * len(sample)


def ner_verdict(acc: ColumnAccumulator, labels: list[str | None], city_share: float) -> Verdict | None:
    """A column verdict from the NER labels of its sample."""
    if not labels:
        return None
    counts = Counter(label for label in labels if label)
    if not counts:
        return None
    ranked = counts.most_common()
    top, top_count = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    share = top_count / len(labels)
    labelled = sum(counts.values())
    view = acc.view
    family = NER_FAMILY[top]
    if view.hint is not None and view.hint.entity in family:
        entity, detectors, confidence = view.hint.entity, ["name", "ner"], 0.8 + 0.15 * share
    elif view.hint is not None and view.hint.personal:
        return None
    elif share >= 0.25 and labelled >= 0.35 * len(labels) and top_count >= 0.5 * labelled and top_count >= 1.5 * second:
        # Bare single words (surnames) often get no label at all; judge by the labelled values.
        entity = top
        if top == "LOCATION" and city_share >= 0.2:
            entity = "CITY"
        detectors, confidence = ["ner"], 0.45 + 0.3 * top_count / labelled + 0.15 * share
    else:
        return None
    return Verdict(
        entity,
        round(share * acc.non_empty),
        min(confidence, 0.97),
        detectors,
        [mask(v, entity) for v in acc.sample[: view.max_examples]],
    )


def best_verdict(verdicts: list[Verdict], non_empty: int) -> Verdict | None:
    """The verdict with the highest confidence × share; the earlier (more specific) one on a tie."""
    best = None
    for verdict in verdicts:
        if best is None or verdict.score(non_empty) > best.score(non_empty) + 1e-9:
            best = verdict
    return best


def combine(verdicts: list[Verdict], ner: Verdict | None) -> list[Verdict]:
    """Fold an NER verdict into a pattern verdict on the same entity (more evidence), or add it."""
    if ner is None:
        return verdicts
    for verdict in verdicts:
        if verdict.entity == ner.entity:
            verdict.detectors = list(dict.fromkeys([*verdict.detectors, *ner.detectors]))
            verdict.confidence = min(0.99, max(verdict.confidence, ner.confidence) + 0.05)
            verdict.matched = max(verdict.matched, ner.matched)
            return verdicts
    return [*verdicts, ner]


# -- the table scanner ------------------------------------------------------------


@dataclass
class TableContext:
    """What the claimed columns of a table say about the others: its birth dates, places and countries
    (cells of the first batch) and how many kinds of address part it holds."""

    births: list[pl.Series]
    places: list[pl.Series]
    countries: list[pl.Series]
    address_parts: int


def _ascending(cells: pl.Series) -> bool:
    """True when the column's numbers rise row by row (a row number or an id, not a code)."""
    numbers = cells.cast(pl.Int64, strict=False).drop_nulls()
    return len(numbers) >= 3 and bool((numbers.diff().drop_nulls() > 0).all())


class TableScanner:
    """Scans tables with one set of options; reusable across tables (spaCy loads once per process)."""

    def __init__(self, options: ScanOptions):
        self.options = options

    def scan(self, stream: TableStream, progress: ProgressCallback | None = None) -> TableScanOutcome:
        """Read every batch of ``stream`` and return its findings."""
        options = self.options
        recognizers()  # load the registry (and any plugins) before the worker threads start
        accs = {name: ColumnAccumulator.for_column(name, options) for name in stream.columns if name != ROW_KEY}
        limit = options.sample_rows
        rows = 0
        first: pl.DataFrame | None = None  # kept for the cross-column age check
        with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:

            def feed(batch: pl.DataFrame, first_row: int, classify: bool) -> None:
                if ROW_KEY in batch.columns:
                    keys = batch[ROW_KEY].cast(pl.Utf8)
                else:
                    keys = pl.Series(ROW_KEY, [f"row {first_row + i + 1}" for i in range(len(batch))])
                targets = [a for a in accs.values() if classify or a.free_text is not False]
                list(pool.map(lambda a: screen_batch(a, batch[a.view.name], keys, options, classify), targets))

            for batch in stream.batches:
                if not len(batch):
                    continue
                check_cell_sizes(batch, stream.source)
                if first is None:
                    first = batch.head(AGE_CHECK_ROWS)
                if limit is None or rows + len(batch) <= limit:
                    feed(batch, rows, classify=True)
                else:
                    head = max(limit - rows, 0)
                    if head:
                        feed(batch.head(head), rows, classify=True)
                    if not options.full_text_scan:
                        rows += head
                        break
                    if not any(a.free_text is not False for a in accs.values()):
                        rows += head
                        break
                    feed(batch.slice(head), rows + head, classify=False)
                rows += len(batch)
                if progress:
                    progress("rows", rows)
        for acc in accs.values():
            if acc.free_text is None:
                _decide(acc)
        return TableScanOutcome(findings=self._findings(stream, accs, first), rows_scanned=rows)

    def _findings(
        self, stream: TableStream, accs: dict[str, ColumnAccumulator], first: pl.DataFrame | None
    ) -> list[Finding]:
        verdicts = {name: pattern_verdicts(acc) for name, acc in accs.items() if not acc.free_text}
        ner_columns = [name for name, v in verdicts.items() if self.options.ner and wants_ner(accs[name], v)]
        ner_cells = [(name, key, text) for name, acc in accs.items() if acc.free_text for key, text in acc.ner_cells]
        if self.options.ner and (ner_columns or ner_cells):
            self._run_ner(accs, verdicts, ner_columns, ner_cells)
        if first is not None:
            self._from_other_columns(accs, verdicts, first)

        findings = []
        for name, acc in accs.items():
            common = {
                "source": stream.source,
                "table": stream.name,
                "column": name,
                "rows_scanned": acc.rows,
                "non_empty": acc.non_empty,
            }
            if acc.free_text:
                for entity, leak in acc.leaks.items():
                    findings.append(self._leak_finding(entity, leak, common))
                continue
            best = best_verdict(verdicts[name], acc.non_empty)
            if best is not None:
                findings.append(
                    Finding(
                        category=entity_category(best.entity),
                        entity=best.entity,
                        confidence=round(best.confidence, 4),
                        matched=min(best.matched, acc.non_empty),
                        kind="column",
                        detectors=best.detectors,
                        examples=best.examples[: self.options.max_examples],
                        age_facts=best.age_facts,
                        **common,
                    )
                )
        return findings

    def _from_other_columns(self, accs, verdicts, first: pl.DataFrame) -> None:
        """Settle columns that no recogniser claimed by how they agree with other columns in the same
        rows (``first``: the first batch): ages and identity numbers with the birth dates, postal codes
        with the places or the countries (:mod:`governance.scan.cross_columns`), house numbers beside a
        street column and region codes in a table of addresses."""
        best = {n: b.entity for n, v in verdicts.items() if (b := best_verdict(v, accs[n].non_empty))}
        context = TableContext(
            births=[first[n] for n, entity in best.items() if entity == "DATE_OF_BIRTH"],
            places=[first[n] for n, entity in best.items() if entity in PLACE_ENTITIES],
            countries=[first[n] for n, entity in best.items() if entity == "COUNTRY"],
            address_parts=len({entity for entity in best.values() if entity in ADDRESS_PARTS}),
        )
        names = list(accs)
        for index, (name, found) in enumerate(verdicts.items()):
            acc = accs[name]
            if found or acc.view.hinted_none or not acc.sample:
                continue
            neighbours = {best.get(n) for n in names[max(index - 1, 0) : index + 2] if n != name}
            verdict = self._agreement_verdict(acc, first[name], context, ADDRESS in neighbours)
            if verdict is not None:
                verdicts[name] = [verdict]

    def _agreement_verdict(self, acc: ColumnAccumulator, cells: pl.Series, context: TableContext, beside_street: bool) -> Verdict | None:
        """The verdict on one unclaimed column from its agreement with the rest of the table, if strong."""
        sample = acc.sample
        births, places = context.births, context.places
        examples = sample[: acc.view.max_examples]
        codes_like = acc.view.distinct >= MIN_CODE_DISTINCT and not _ascending(cells)
        if codes_like and context.countries:
            agree = max(codes_fit_countries(cells, country) for country in context.countries)
            if agree >= POSTAL_FIT:
                masked = [mask(v, "POSTAL_CODE") for v in examples]
                return Verdict("POSTAL_CODE", round(agree * acc.non_empty), 0.5 + 0.3 * agree, ["pattern", "country"], masked)
        if beside_street and all(HOUSE_NUMBER.match(v) for v in sample) and not _ascending(cells):
            return Verdict(ADDRESS, acc.non_empty, 0.6, ["pattern", "street"], [mask(v, ADDRESS) for v in examples])
        if births and all(v.isdigit() and int(v) <= 120 for v in sample):
            agree = max(ages_agree(cells, born, self.options.scan_date) for born in births)
            if agree < 0.9:
                return None
            return Verdict("AGE", round(agree * acc.non_empty), 0.6 + 0.3 * agree, ["pattern", "date_of_birth"], [])
        if births and sum(ID_WITH_BIRTH_YEAR.match(v) is not None for v in sample) >= 0.5 * len(sample):
            years = cccd_birth_years(cells)
            agree = max(birth_years_agree(years, born) for born in births)
            if agree >= 0.8:
                masked = [mask(v, "NATIONAL_ID") for v in examples]
                detectors = ["pattern", "date_of_birth"]
                return Verdict("NATIONAL_ID", round(agree * acc.non_empty), 0.6 + 0.3 * agree, detectors, masked)
        if places and codes_like and all(POSTAL_SHAPE.match(v) for v in sample):
            agree = max(codes_follow_places(cells, place) for place in places)
            if agree >= 0.9:
                masked = [mask(v, "POSTAL_CODE") for v in examples]
                detectors = ["pattern", "location"]
                return Verdict("POSTAL_CODE", round(agree * acc.non_empty), 0.5 + 0.3 * agree, detectors, masked)
        if context.address_parts >= 2 and acc.view.distinct >= 3 and all(REGION_CODE.match(v) for v in sample):
            return Verdict("STATE", acc.non_empty, 0.55, ["pattern", "address"], [mask(v, "STATE") for v in examples])
        return None

    def _leak_finding(self, entity: str, leak: LeakState, common: dict) -> Finding:
        checksum = any(getattr(r, "CHECKSUM", False) for r in recognizers() if r.ENTITY == entity)
        detectors = ["ner"] if entity in NER_FAMILY else ["pattern", *(["checksum"] if checksum else [])]
        confidence = 0.6 if entity in NER_FAMILY else (0.95 if checksum else 0.85)
        return Finding(
            category=entity_category(entity),
            entity=entity,
            confidence=confidence,
            matched=leak.rows,
            kind="leak",
            detectors=detectors,
            examples=leak.examples,
            row_keys=leak.row_keys,
            **common,
        )

    def _run_ner(self, accs, verdicts, ner_columns, ner_cells) -> None:
        """One batched NER pass over the samples of unsettled columns and the free-text cells that may name people."""
        from governance.scan.nlp import analyze_texts

        carried = {name: single_words(accs[name].sample) for name in ner_columns}
        texts = [CARRIER.format(v) if carried[name] else v for name in ner_columns for v in accs[name].sample]
        texts += [text for _, _, text in ner_cells]
        results = analyze_texts(texts, self.options.model)
        offset = 0
        for name in ner_columns:
            acc = accs[name]
            size = len(acc.sample)
            start = CARRIER.index("{}") if carried[name] else 0
            labels = ner_labels(list(zip(acc.sample, results[offset : offset + size])), start)
            offset += size
            city = acc.states.get("CityRecognizer")
            city_share = city.matched / acc.non_empty if city is not None and acc.non_empty else 0.0
            verdicts[name] = combine(verdicts[name], ner_verdict(acc, labels, city_share))
        for (name, key, text), found in zip(ner_cells, results[offset:]):
            people = [r for r in found if r.entity_type == "PERSON" and " " in text[r.start : r.end].strip()]
            if people:
                span = text[people[0].start : people[0].end]
                accs[name].leaks.setdefault("PERSON", LeakState()).add(
                    str(key), span, "PERSON", self.options.max_row_keys, self.options.max_examples
                )
