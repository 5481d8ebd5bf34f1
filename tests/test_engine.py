"""The detection engine on small real tables (TableStreams built from polars DataFrames)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml
from synthetic_tables import build_table, stream_of

from governance.scan.engine import ColumnAccumulator, TableScanner, merge_accumulators, pattern_verdicts, screen_batch
from governance.scan.models import AgeFacts
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY
from governance.taxonomy import category_overlaps, entity_category

HERE = Path(__file__).resolve().parent / "fixtures" / "detection"
SCAN_DATE = date(2026, 6, 1)

#: Entities only a column name can reveal (their values look like any code or number).
NAME_DRIVEN = {"MEDICAL_RECORD_NUMBER", "AGE", "HEALTH_INSURANCE_ID"}
#: Entities that, without a telling name, need NER.
NER_DRIVEN = {"PERSON", "FIRST_NAME", "LAST_NAME"}


def read(name: str) -> pl.DataFrame:
    return pl.read_csv(HERE / name, infer_schema=False)


def expected(name: str) -> dict:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def neutral(frame: pl.DataFrame, answers: dict) -> tuple[pl.DataFrame, dict]:
    names = {c: f"c{i + 1:02d}" for i, c in enumerate(frame.columns)}
    return frame.rename(names), {names[c]: e for c, e in answers.items()}


def scan(frame: pl.DataFrame, batch_size: int = 50_000, progress=None, **options):
    opts = ScanOptions(scan_date=SCAN_DATE, **{"ner": False, **options})
    return TableScanner(opts).scan(stream_of(frame, batch_size=batch_size), progress=progress)


@pytest.fixture(scope="module")
def named_outcome():
    return scan(read("columns.csv"))


@pytest.fixture(scope="module")
def neutral_outcome():
    frame, answers = neutral(read("columns.csv"), expected("columns.expected.yaml"))
    return scan(frame), answers


def by_column(outcome) -> dict:
    found = {}
    for finding in (f for f in outcome.findings if f.kind == "column"):
        assert finding.column not in found, f"two verdicts on {finding.column}"
        found[finding.column] = finding
    return found


COLUMNS = expected("columns.expected.yaml")


def neutral_name(column: str) -> str:
    """The ``cNN`` name a fixture column gets in the neutral copy."""
    return f"c{list(COLUMNS).index(column) + 1:02d}"


@pytest.mark.parametrize(("column", "entity"), [(c, e) for c, e in COLUMNS.items() if e and e not in NER_DRIVEN])
def test_named_columns_without_ner(named_outcome, column, entity):
    """With real column names, every entity is found (no spaCy needed), with its fideslang category."""
    finding = by_column(named_outcome).get(column)
    assert finding is not None, f"{column}: nothing found"
    assert (finding.entity, finding.category) == (entity, entity_category(entity))
    assert finding.kind == "column"
    assert 0.5 <= finding.confidence <= 1
    assert finding.matched / finding.non_empty >= 0.6
    assert finding.rows_scanned == 60 and finding.non_empty == 60
    assert "name" in finding.detectors


@pytest.mark.parametrize("column", [c for c, e in COLUMNS.items() if e in NER_DRIVEN])
def test_named_name_columns_without_ner(named_outcome, column):
    """Name columns are found by their name and shape even with --no-ner."""
    finding = by_column(named_outcome)[column]
    assert finding.entity == COLUMNS[column]
    assert "ner" not in finding.detectors


@pytest.mark.parametrize("column", [c for c, e in COLUMNS.items() if e is None])
def test_non_personal_columns_produce_nothing(named_outcome, neutral_outcome, column):
    assert column not in by_column(named_outcome)
    outcome, _ = neutral_outcome
    assert neutral_name(column) not in by_column(outcome)


@pytest.mark.parametrize(
    ("column", "entity"), [(c, e) for c, e in COLUMNS.items() if e and e not in NAME_DRIVEN | NER_DRIVEN]
)
def test_neutral_names_classified_by_values(neutral_outcome, column, entity):
    """Columns named c01, c02, ... are still classified by their values alone."""
    outcome, _ = neutral_outcome
    finding = by_column(outcome).get(neutral_name(column))
    assert finding is not None, f"{column} ({entity}) not found under a neutral name"
    assert category_overlaps(entity_category(entity), finding.category), (entity, finding.entity)
    assert "name" not in finding.detectors


@pytest.mark.parametrize(
    ("column", "detector"),
    [
        ("cc_num", "checksum"),
        ("iban", "checksum"),
        ("ssn", "checksum"),
        ("prescriber_npi", "checksum"),
        ("sex", "vocabulary"),
        ("cust_email", "pattern"),
    ],
)
def test_detectors_say_why(named_outcome, column, detector):
    assert detector in by_column(named_outcome)[column].detectors


def test_examples_are_masked(named_outcome):
    """Findings never carry raw values: every example is masked and no raw value appears anywhere."""
    frame = read("columns.csv")
    for finding in named_outcome.findings:
        raw = {v for v in frame[finding.column].to_list() if v and len(v) >= 4}
        assert 0 < len(finding.examples) <= 3, finding.column
        for example in finding.examples:
            assert example not in raw
            assert "*" in example
        text = json.dumps(finding.to_dict())
        assert not any(value in text for value in raw), finding.column


def test_secrets_show_nothing(named_outcome):
    found = by_column(named_outcome)
    assert set(found["passwd"].examples) == {"********"}
    assert set(found["pw_hash"].examples) == {"********"}


def test_leaks_found_with_row_keys():
    """Free-text cells are screened row by row: each leak is reported with its rows' keys."""
    frame = read("notes.csv").with_columns(("id=" + pl.col("id")).alias(ROW_KEY))
    outcome = scan(frame)
    leaks = {f.entity: f for f in outcome.findings if f.kind == "leak"}
    answers = expected("notes.expected.yaml")
    assert set(leaks) == set(answers)
    for entity, keys in answers.items():
        finding = leaks[entity]
        assert finding.column == "notes"
        assert sorted(finding.row_keys) == sorted(keys)
        assert finding.matched == len(keys)
        assert finding.category == entity_category(entity)
        assert finding.examples and all("*" in e for e in finding.examples)
    assert not [f for f in outcome.findings if f.kind == "column" and f.column == "notes"]
    notes = " ".join(frame["notes"].drop_nulls().to_list())
    for finding in outcome.findings:
        for example in finding.examples:
            assert example not in notes


def test_three_leaks_in_many_rows_are_all_found():
    """Leaks past the first batches are found: every row is screened, not a sample."""
    rows = 120_000
    notes = ["Customer called about the delivery window." for _ in range(rows)]
    planted = {
        1: "SSN 536-22-1234 read out",
        77_777: "card 4111 1111 1111 1111 on file",
        119_999: "IBAN DE89370400440532013000",
    }
    for i, text in planted.items():
        notes[i] = text
    frame = pl.DataFrame({"id": [str(i) for i in range(rows)], "notes": notes})
    frame = frame.with_columns(pl.Series(ROW_KEY, [f"line {i + 2}" for i in range(rows)]))
    outcome = scan(frame, batch_size=25_000)
    leaks = {f.entity: f.row_keys for f in outcome.findings if f.kind == "leak"}
    assert leaks == {"US_SSN": ["line 3"], "CREDIT_CARD": ["line 77779"], "IBAN_CODE": ["line 120001"]}
    assert outcome.rows_scanned == rows


def test_row_keys_are_capped():
    frame = pl.DataFrame({"notes": [f"my email is user{i}@example.com thanks" for i in range(50)]})
    outcome = scan(frame, max_row_keys=5, max_examples=2)
    (leak,) = [f for f in outcome.findings if f.kind == "leak"]
    assert leak.matched == 50 and len(leak.row_keys) == 5 and len(leak.examples) == 2


def test_age_facts():
    outcome = scan(read("birthdays.csv"))
    (finding,) = outcome.findings
    assert (finding.column, finding.entity) == ("dob", "DATE_OF_BIRTH")
    assert finding.age_facts == AgeFacts(as_of=SCAN_DATE, valid_dates=30, under_13=6, under_16=12, over_89=3)


def test_timestamps_and_order_dates_are_not_birthdays():
    frame = read("columns.csv").select("created_at", "ordered_on", "birth_dt")
    named = by_column(scan(frame))
    assert set(named) == {"birth_dt"}
    renamed, _ = neutral(frame, {c: None for c in frame.columns})
    assert set(by_column(scan(renamed))) == {"c03"}  # birth dates spread over decades; order dates do not


def test_countries_by_name_and_by_code():
    frame = pl.DataFrame(
        {
            "c01": ["Germany", "United Kingdom", "France", "España", "Netherlands", "United States"] * 5,
            "country": ["DE", "GB", "FR", "ES", "NL", "US"] * 5,
            "c03": ["DE", "GB", "FR", "ES", "NL", "US"] * 5,  # codes alone could be anything
        }
    )
    found = by_column(scan(frame))
    assert {c: f.entity for c, f in found.items()} == {"c01": "COUNTRY", "country": "COUNTRY"}


def test_ages_recognised_from_birth_dates_in_the_same_table():
    """Small numbers that equal the ages the birth dates imply (stated a year or two ago) are ages."""
    births = read("columns.csv")["birth_dt"]
    implied = [
        SCAN_DATE.year - int(b[:4]) - ((int(b[5:7]), int(b[8:10])) > (SCAN_DATE.month, SCAN_DATE.day)) for b in births
    ]
    frame = pl.DataFrame({"c01": births, "c02": [str(a - 2) for a in implied], "c03": read("columns.csv")["age"]})
    found = by_column(scan(frame))
    assert found["c02"].entity == "AGE" and found["c02"].detectors == ["pattern", "date_of_birth"]
    assert "c03" not in found  # random numbers of the same range are not ages


def test_sample_rows_still_screens_free_text():
    frame = read("notes.csv").with_columns(("id=" + pl.col("id")).alias(ROW_KEY))
    full = scan(frame, batch_size=100, sample_rows=150)
    assert full.rows_scanned == 400
    assert {f.entity for f in full.findings if f.kind == "leak"} == set(expected("notes.expected.yaml"))
    sampled = scan(frame, batch_size=100, sample_rows=150, full_text_scan=False)
    assert sampled.rows_scanned == 150
    assert {k for f in sampled.findings for k in f.row_keys} <= {f"id={i}" for i in range(1, 151)}


def test_progress_reports_rows():
    seen = []
    outcome = scan(read("columns.csv"), batch_size=25, progress=lambda event, n: seen.append((event, n)))
    assert seen == [("rows", 25), ("rows", 50), ("rows", 60)]
    assert outcome.rows_scanned == 60


def test_plain_words_are_not_usernames():
    """Lower-case words (colours, sizes) look like login handles but carry no digit, dot or underscore."""
    frame = pl.DataFrame(
        {
            "c01": ["red", "yellow", "pink", "white", "purple", "yellow", "green", "blue"],
            "c02": ["small", "medium", "large", "tiny", "huge", "petite", "grande", "jumbo"],
        }
    )
    assert scan(frame).findings == []
    handles = pl.DataFrame({"c01": ["jsmith", "anna.k87", "bob_lee", "mwong", "kperrot", "egon87", "xmedina305", "levequeguy"]})
    assert [f.entity for f in scan(handles).findings] == ["USERNAME"]


def test_verdicts_do_not_change_with_table_or_batch_size():
    """Customers reuse passwords: a column drawn from 8,000 passwords is the same column at 400 rows
    and at 40,000, in one batch or in many (the distinct ratio is measured on a fixed window)."""
    words, years = ("Tulip", "rose", "Shadow", "monkey", "Fiets"), range(1960, 2020)
    pool = [f"{w}{y}{s}{n}" for w in words for y in years for s in "!#" for n in range(14)][:8_000]
    for rows, batch_size in ((400, 50_000), (40_000, 50_000), (40_000, 3_000)):
        frame = pl.DataFrame({"c01": [pool[(i * 7919) % len(pool)] for i in range(rows)]})
        assert [f.entity for f in scan(frame, batch_size=batch_size).findings] == ["PASSWORD"], (rows, batch_size)


def test_empty_and_null_columns():
    frame = pl.DataFrame(
        {"email": [None, None, None], "notes": ["", " ", None]}, schema={"email": pl.Utf8, "notes": pl.Utf8}
    )
    outcome = scan(frame)
    assert outcome.findings == [] and outcome.rows_scanned == 3


def test_accumulators_merge_like_one_pass():
    """Batches screened apart (another worker) and merged give the same verdict as one pass."""
    frame = read("columns.csv")
    options = ScanOptions(scan_date=SCAN_DATE, ner=False)
    keys = pl.Series([str(i) for i in range(len(frame))])
    for column in ("cc_num", "birth_dt", "sex", "mobile"):
        whole = ColumnAccumulator.for_column(column, options)
        screen_batch(whole, frame[column], keys, options)
        left, right = ColumnAccumulator.for_column(column, options), ColumnAccumulator.for_column(column, options)
        screen_batch(left, frame[column].head(30), keys.head(30), options)
        screen_batch(right, frame[column].tail(30), keys.tail(30), options)
        merge_accumulators(left, right, options)
        (one,) = [v for v in pattern_verdicts(whole) if v.entity == COLUMNS[column]]
        (two,) = [v for v in pattern_verdicts(left) if v.entity == COLUMNS[column]]
        assert (one.entity, one.matched) == (two.entity, two.matched)


def test_synthetic_table_without_ner():
    """A generated 3,000-row table: every column whose values or name settle it is right."""
    table = build_table(3_000, seed=5)
    outcome = TableScanner(ScanOptions(ner=False)).scan(stream_of(table.frame, batch_size=1_000))
    found = by_column(outcome)
    for column, entity in table.expected.items():
        got = found.get(column)
        if entity is None:
            assert got is None, column
        else:
            assert got is not None and got.entity == entity, (column, got and got.entity)
    leaks = {f.entity: set(f.row_keys) for f in outcome.findings if f.kind == "leak"}
    assert leaks == {e: keys for e, keys in table.leaks.items() if keys}


@pytest.mark.nlp
def test_synthetic_table_with_ner_and_neutral_names():
    table = build_table(3_000, seed=5).renamed()
    outcome = TableScanner(ScanOptions()).scan(stream_of(table.frame, batch_size=1_000))
    found = {f.column: f for f in outcome.findings if f.kind == "column"}
    right = sum(
        (found.get(c) is None)
        if e is None
        else (c in found and category_overlaps(entity_category(e), found[c].category))
        for c, e in table.expected.items()
    )
    assert right / len(table.expected) >= 0.95


@pytest.mark.nlp
def test_ner_settles_name_columns(neutral_outcome):
    """With NER, neutrally named columns of people's names are found as names."""
    frame, answers = neutral(read("columns.csv"), COLUMNS)
    found = by_column(scan(frame, ner=True))
    for column, entity in answers.items():
        if entity in NER_DRIVEN:
            assert column in found and found[column].category.startswith("user.name"), column
            assert "ner" in found[column].detectors
