"""`governance ropa`: the record of processing activities (GDPR Art. 30) of an inventory, in every format.

The bundled example is written in each format and compared with golden files
(tests/fixtures/ropa/golden); the XLSX is read back with openpyxl. Text from the
inventory that a spreadsheet would run as a formula, or a browser as markup, stays text.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from golden import assert_golden
from openpyxl import load_workbook

from governance import __version__
from governance.cli import cli
from governance.inventory.loader import load_inventory
from governance.ropa.record import MISSING, build_record
from governance.rules.check import CheckOptions, run_check

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "policies" / "example"
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "ropa" / "golden"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "ropa" / "hostile.yaml"


def _write(runner, tmp_path: Path, fmt: str, inventory: Path = EXAMPLE) -> Path:
    out = tmp_path / f"record.{fmt}"
    result = runner.invoke(cli, ["ropa", "--inventory", str(inventory), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _normalised(text: str) -> str:
    return text.replace(__version__, "VERSION")


@pytest.mark.parametrize("fmt", ["csv", "html", "json"])
def test_example_record_equals_its_golden_file(runner, tmp_path, update_golden, fmt):
    out = _write(runner, tmp_path, fmt)
    assert_golden(GOLDEN / f"example.{fmt}", _normalised(out.read_text(encoding="utf-8-sig")), update_golden)


def test_example_record_has_a_row_per_purpose_and_every_art_30_item():
    inv = load_inventory(EXAMPLE).inventory
    record = build_record(inv)
    assert [r.cells["activity"] for r in record.controller.rows] == [p.id for p in inv.purposes]
    assert [r.cells["activity"] for r in record.processor.rows] == ["relay_deliveries"]
    for sheet in record.sheets:
        for row in sheet.rows:
            assert list(row.cells) == [c.key for c in sheet.columns]
            assert all(text.strip() for text in row.cells.values()), row.cells
    support = next(r for r in record.controller.rows if r.cells["activity"] == "customer_support")
    assert support.cells["retention"] == f"{MISSING}time limit for erasure of dataset 'support_tickets' (Art. 30(1)(f))"
    pharmacy = next(r for r in record.controller.rows if r.cells["activity"] == "pharmacy_care")
    assert pharmacy.cells["data_subjects"] == "Customer; Patient"  # the pharmacy's patients are the shop's customers
    assert pharmacy.cells["transfers"] == "US: RxBridge Claims"
    assert pharmacy.cells["safeguards"] == f"{MISSING}safeguard for the transfer to RxBridge Claims (Art. 30(1)(e), Art. 46)"
    relay = record.processor.rows[0]
    assert relay.cells["controller"].startswith("Petals Relay Network Ltd; privacy@petalsrelay.example")
    assert relay.cells["safeguards"].startswith("US: Standard contractual clauses")


def test_xlsx_reads_back_cell_for_cell(runner, tmp_path):
    book = load_workbook(_write(runner, tmp_path, "xlsx"))
    record = build_record(load_inventory(EXAMPLE).inventory)
    assert book.sheetnames == ["Controller (Art. 30(1))", "Processor (Art. 30(2))"]
    for sheet in record.sheets:
        rows = list(book[sheet.name].iter_rows(values_only=True))
        assert list(rows[0]) == [c.title for c in sheet.columns]
        assert [list(r) for r in rows[1:]] == [[row.cells[c.key] for c in sheet.columns] for row in sheet.rows]
    ws = book["Controller (Art. 30(1))"]
    marked = [c for row in ws.iter_rows(min_row=2) for c in row if str(c.value).startswith(MISSING)]
    assert marked and all(c.fill.fgColor.rgb.endswith("FDE2E1") for c in marked)


def test_hostile_text_stays_text_in_every_format(runner, tmp_path):
    """A description starting with '=' is no formula in CSV or XLSX; markup is escaped in HTML."""
    book = load_workbook(_write(runner, tmp_path, "xlsx", HOSTILE))
    cell = book["Controller (Art. 30(1))"]["F2"]
    assert cell.data_type == "s" and cell.value.startswith('=HYPERLINK("https://evil.example"')

    rows = list(csv.reader(io.StringIO(_write(runner, tmp_path, "csv", HOSTILE).read_text(encoding="utf-8-sig"))))
    purpose = rows[1][rows[0].index("Purpose(s) of the processing (Art. 30(1)(b))")]
    assert purpose.startswith("'=HYPERLINK(")
    assert rows[1][rows[0].index("Joint controller (Art. 30(1)(a))")].startswith("'@SUM(1+1); +1 555")

    html = _write(runner, tmp_path, "html", HOSTILE).read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    data = json.loads(_write(runner, tmp_path, "json", HOSTILE).read_text(encoding="utf-8"))
    assert data["sheets"][0]["rows"][0]["cells"]["purposes"].startswith('=HYPERLINK("https://evil.example"')


def test_empty_processor_sheet_says_so(runner, tmp_path):
    book = load_workbook(_write(runner, tmp_path, "xlsx", HOSTILE))
    assert book["Processor (Art. 30(2))"]["A2"].value.startswith("The inventory declares no processing")
    html = _write(runner, tmp_path, "html", HOSTILE).read_text(encoding="utf-8")
    assert "declares no processing carried out on behalf of another controller" in html


def test_missing_items_are_listed_and_reported_by_check(runner, tmp_path):
    result = runner.invoke(cli, ["ropa", "--inventory", str(EXAMPLE), "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 0
    assert "missing: time limit for erasure of dataset 'support_tickets' (Art. 30(1)(f))" in result.output
    check = run_check(EXAMPLE, CheckOptions(scan=False))
    found = {v.target: v.message for v in check.violations if v.rule.id == "GDPR-RECORD-OF-PROCESSING"}
    record = build_record(load_inventory(EXAMPLE).inventory)
    expected = {f"purpose:{r.cells['activity']}" for r in record.controller.rows if r.gaps}
    assert set(found) == expected
    assert "lacks: time limit for erasure of dataset 'support_tickets'" in found["purpose:customer_support"]


def test_unknown_format_and_bad_inventory_are_one_line_errors_and_write_nothing(runner, tmp_path):
    out = tmp_path / "record.txt"
    bad = runner.invoke(cli, ["ropa", "--inventory", str(EXAMPLE), "-o", str(out)])
    assert bad.exit_code == 2 and "cannot tell the format from 'record.txt'" in bad.output
    assert "Traceback" not in bad.output and not out.exists()
    kept = tmp_path / "record.csv"
    kept.write_text("previous record\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("organization: {name: X}\n", encoding="utf-8")
    failed = runner.invoke(cli, ["ropa", "--inventory", str(broken), "-o", str(kept)])
    assert failed.exit_code == 2 and "broken.yaml" in failed.output and "Traceback" not in failed.output
    assert kept.read_text(encoding="utf-8") == "previous record\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_processor_sheet_marks_a_controller_without_contact_and_an_undocumented_transfer():
    from governance.inventory.models import Inventory

    inv = Inventory.model_validate({
        "organization": {"name": "P Co", "postal_address": "1 Main St", "privacy_contact": {"email": "p@p.example"}},
        "processing_on_behalf": [
            {"id": "payroll", "controller": {"name": "C GmbH"}, "transfers": [{"country": "US"}, {"country": "FR"}]},
            {"id": "hosting", "controller": {"name": "D SA", "email": "d@d.example"},
             "categories_of_processing": ["Hosting"],
             "transfers": [{"country": "IN", "safeguards_documentation": "Assessment 2026-01"}]},
        ],
    })
    payroll, hosting = build_record(inv).processor.rows
    assert payroll.cells["controller"] == f"{MISSING}name and contact details of the controller (Art. 30(2)(a))"
    assert payroll.cells["categories_of_processing"].startswith(MISSING)
    assert payroll.cells["transfers"] == "US"  # FR is in the EEA
    assert payroll.cells["safeguards"] == f"{MISSING}safeguard for the transfer to US (Art. 30(2)(c), Art. 46)"
    assert payroll.cells["security"].startswith(MISSING)
    assert hosting.cells["safeguards"] == ("IN: compelling legitimate interests (Art. 49(1) second subparagraph); "
                                           "Assessment 2026-01")
    assert [g.column for g in hosting.gaps] == ["security"]
