"""`governance risk`: k-anonymity, l-diversity and k-map on tables whose answers are known.

tests/fixtures/risk/patients.csv has six classes on (zip, birth_year, sex):
A 02139/1980/F x3 (flu, asthma), B 02139/1975/M x2 (flu), C 60614/1990/F x1,
D 60614/1990/M x4 (flu, asthma, diabetes), E (empty)/1990/M x1, F 94110/1962/F x1.
population.csv counts A 40, B 3, C 12, D 250, F 7 and lacks E.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from golden import assert_golden
from hypothesis import given, settings
from hypothesis import strategies as st

from governance import __version__
from governance.cli import cli
from governance.risk.api import measure_risk
from governance.risk.measures import assess, class_counts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "risk"
PATIENTS = str(FIXTURES / "patients.csv")
POPULATION = str(FIXTURES / "population.csv")
EXTRACT = str(Path(__file__).resolve().parents[1] / "policies" / "example" / "data" / "exports" / "research_extract.csv")
QUASI = ["zip", "birth_year", "sex"]


def test_k_anonymity_and_l_diversity_of_a_known_table():
    report = measure_risk(PATIENTS, QUASI, sensitive="diagnosis")
    assert (report.records, report.classes, report.k) == (12, 6, 1)
    assert (report.unique_records, report.unique_share) == (3, 0.25)
    assert report.records_in_classes_below == {2: 0.25, 5: 1.0, 11: 1.0}
    assert report.class_sizes == {"1": 3, "2-4": 3, "5-10": 0, "11-99": 0, "100+": 0}
    assert (report.l_diversity, report.classes_below_l2) == (1, 4)


def test_fewer_quasi_identifiers_merge_classes():
    report = measure_risk(PATIENTS, ["zip"])
    # 02139 x5, 60614 x5, empty x1, 94110 x1
    assert (report.classes, report.k, report.unique_records) == (4, 1, 2)
    assert report.records_in_classes_below == {2: round(2 / 12, 6), 5: round(2 / 12, 6), 11: 1.0}


def test_k_map_against_a_population_table():
    km = measure_risk(PATIENTS, QUASI, population=POPULATION, population_count="people").k_map
    assert (km.k_map, km.classes_absent_from_population) == (0, 1)
    # population class below 2: E (1 record); below 5: E, B (3); below 11: E, B, F (4)
    assert km.records_in_classes_below == {2: round(1 / 12, 6), 5: 0.25, 11: round(4 / 12, 6)}
    unweighted = measure_risk(PATIENTS, QUASI, population=POPULATION).k_map
    assert unweighted.k_map == 0 and unweighted.records_in_classes_below[2] == 1.0


def test_research_extract_quasi_identifiers_are_proposed_from_the_scan(runner):
    result = runner.invoke(cli, ["risk", EXTRACT, "--sensitive", "diagnosis_code", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["quasi_identifiers"] == ["patient_zip", "birth_date"]
    assert (data["records"], data["unique_records"], data["k"]) == (25, 25, 1)


def test_reports_show_no_value_of_the_data(runner, tmp_path):
    values = ["02139", "60614", "94110", "1980", "1975", "1990", "1962", "asthma", "diabetes", "flu"]
    for fmt in ("table", "json", "html"):
        out = tmp_path / f"risk.{fmt}"
        result = runner.invoke(cli, ["risk", PATIENTS, "--quasi", "zip,birth_year,sex", "--sensitive", "diagnosis",
                                     "--population", POPULATION, "--population-count", "people",
                                     "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert "k-anonymity" in text or '"k": 1' in text
        assert [v for v in values if v in text] == []


def test_fail_below_and_bad_columns(runner):
    low = runner.invoke(cli, ["risk", PATIENTS, "--quasi", "zip", "--fail-below", "2"])
    assert low.exit_code == 1
    ok = runner.invoke(cli, ["risk", PATIENTS, "--quasi", "sex", "--fail-below", "5"])
    assert ok.exit_code == 0  # F x6, M x6
    bad = runner.invoke(cli, ["risk", PATIENTS, "--quasi", "zip,postcode"])
    assert bad.exit_code == 2 and "--quasi: the table has no column 'postcode'" in bad.output
    assert "Traceback" not in bad.output
    count = runner.invoke(cli, ["risk", PATIENTS, "--quasi", "zip", "--population", POPULATION,
                                "--population-count", "sex"])
    assert count.exit_code == 2 and "--population-count" in count.output and "Traceback" not in count.output


# --------------------------------------------------------------------------- properties

_rows = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.sampled_from(["a", "b", "c"])),
                 min_size=1, max_size=200)


def _frame(rows) -> pl.DataFrame:
    return pl.DataFrame({"x": [str(r[0]) for r in rows], "y": [str(r[1]) for r in rows], "s": [r[2] for r in rows]})


def _k(frame: pl.DataFrame, quasi) -> int:
    return assess(class_counts([frame], quasi), quasi).k


@settings(max_examples=60, deadline=None)
@given(_rows)
def test_k_is_the_smallest_class_and_never_exceeds_the_rows(rows):
    frame = _frame(rows)
    report = assess(class_counts([frame], ["x", "y"], "s"), ["x", "y"], "s")
    sizes = Counter((r[0], r[1]) for r in rows)
    assert report.k == min(sizes.values()) <= len(rows)
    assert report.unique_records == sum(1 for n in sizes.values() if n == 1)
    distinct = {key: len({r[2] for r in rows if (r[0], r[1]) == key}) for key in sizes}
    assert report.l_diversity == min(distinct.values())


@settings(max_examples=60, deadline=None)
@given(_rows)
def test_generalising_or_dropping_a_quasi_identifier_never_lowers_k(rows):
    frame = _frame(rows)
    coarse = frame.with_columns((pl.col("x").cast(pl.Int64) // 2).cast(pl.String).alias("x"))
    assert _k(coarse, ["x", "y"]) >= _k(frame, ["x", "y"])
    assert _k(frame, ["x"]) >= _k(frame, ["x", "y"])


@settings(max_examples=40, deadline=None)
@given(_rows, st.integers(1, 50))
def test_streamed_batches_give_the_same_answer(rows, batch):
    frame = _frame(rows)
    parts = [frame.slice(i, batch) for i in range(0, frame.height, batch)]
    random.Random(batch).shuffle(parts)
    assert assess(class_counts(parts, ["x", "y"], "s"), ["x", "y"], "s") == \
        assess(class_counts([frame], ["x", "y"], "s"), ["x", "y"], "s")


def test_a_declared_dataset_is_measured_on_its_declared_quasi_identifiers(runner, repo):
    result = runner.invoke(cli, ["risk", "--inventory", str(repo / "policies" / "example"), "--dataset",
                                 "research_extract", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["quasi_identifiers"] == ["patient_zip", "birth_date"] and data["unique_records"] == 25
    both = runner.invoke(cli, ["risk", PATIENTS, "--dataset", "research_extract"])
    assert both.exit_code == 2 and "give a SOURCE or --dataset ID" in both.output


def test_a_database_table_is_read_through_the_scanner_readers(runner, repo):
    shop = f"sqlite:///{repo / 'policies' / 'example' / 'data' / 'shop.db'}"
    with sqlite3.connect(repo / "policies" / "example" / "data" / "shop.db") as db:
        rows = db.execute("SELECT gender, COUNT(*) FROM customers GROUP BY gender").fetchall()
    result = runner.invoke(cli, ["risk", shop, "--table", "customers", "--quasi", "gender", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["records"], data["classes"], data["k"]) == (sum(n for _, n in rows), len(rows), min(n for _, n in rows))
    several = runner.invoke(cli, ["risk", shop, "--quasi", "gender"])
    assert several.exit_code == 2 and "name one with --table" in several.output


def test_each_new_command_has_help_and_is_in_the_readme(runner, repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    for command in ("ropa", "risk", "deidentify"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and len(result.output) > 300
        assert f"governance {command} " in readme


@pytest.mark.parametrize("fmt", ["table", "json", "html"])
def test_report_equals_its_golden_file(runner, update_golden, fmt):
    result = runner.invoke(cli, ["risk", PATIENTS, "--quasi", "zip,birth_year,sex", "--sensitive", "diagnosis",
                                 "--population", POPULATION, "--population-count", "people", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert_golden(FIXTURES / "golden" / f"patients.{fmt}", result.output.replace(__version__, "VERSION"), update_golden)
