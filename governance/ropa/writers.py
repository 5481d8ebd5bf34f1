"""Writers of the record of processing activities: XLSX, CSV, HTML and JSON, one function each.

Every writer takes a :class:`~governance.ropa.record.Record` and a binary file. Text a
spreadsheet would run as a formula is kept as text: CSV cells starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return get a leading ``'`` (OWASP CSV injection
advice), and XLSX cells are always stored as strings, never as formulas. HTML is
rendered through the sandboxed, autoescaping template ``report/ropa.html.j2``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import BinaryIO

from governance import __version__
from governance.report.csv_report import safe_cell
from governance.ropa.record import MISSING, Record, Sheet

#: CSV column naming the record a row belongs to.
RECORD_COLUMN = "Record"


def _union_columns(record: Record):
    seen: dict[str, object] = {}
    for sheet in record.sheets:
        for column in sheet.columns:
            seen.setdefault(column.title, column)
    return list(seen)


def write_csv(record: Record, out: BinaryIO) -> None:
    """One table: a ``Record`` column, then every heading of both sheets; a cell of the other sheet is ``n/a``."""
    titles = _union_columns(record)
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([RECORD_COLUMN, *titles])
    for sheet in record.sheets:
        by_title = {c.title: c.key for c in sheet.columns}
        for row in sheet.rows:
            cells = [row.cells[by_title[t]] if t in by_title else "n/a" for t in titles]
            writer.writerow([safe_cell(sheet.name), *(safe_cell(c) for c in cells)])
    out.write(text.getvalue().encode("utf-8-sig"))


def write_xlsx(record: Record, out: BinaryIO) -> None:
    """One worksheet per record, a header row of headings, every cell stored as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    missing_fill = PatternFill("solid", fgColor="FDE2E1")
    for sheet in record.sheets:
        ws = book.create_sheet(sheet.name[:31])
        for col, column in enumerate(sheet.columns, start=1):
            _text_cell(ws, 1, col, column.title).font = Font(bold=True)
            ws.column_dimensions[ws.cell(1, col).column_letter].width = 40
        for r, row in enumerate(sheet.rows, start=2):
            for col, column in enumerate(sheet.columns, start=1):
                value = row.cells[column.key]
                cell = _text_cell(ws, r, col, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if value.startswith(MISSING):
                    cell.fill = missing_fill
        if not sheet.rows:
            _text_cell(ws, 2, 1, sheet.empty)
        ws.freeze_panes = "B2"
    book.save(out)


def _text_cell(ws, row: int, col: int, value: str):
    cell = ws.cell(row=row, column=col)
    cell.value = value
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def write_json(record: Record, out: BinaryIO) -> None:
    """``{"organisation", "template", "sheets": [{"name", "columns", "rows", "gaps"}]}``."""
    data = {
        "tool": {"name": "governance", "version": __version__},
        "organisation": record.organisation,
        "template": record.template,
        "sheets": [
            {
                "name": sheet.name,
                "columns": [{"key": c.key, "heading": c.heading, "article": c.article} for c in sheet.columns],
                "rows": [{"cells": row.cells, "gaps": [g.text for g in row.gaps]} for row in sheet.rows],
            }
            for sheet in record.sheets
        ],
    }
    out.write((json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def write_html(record: Record, out: BinaryIO) -> None:
    """One self-contained page with a table per record."""
    from governance.templating import environment

    page = environment().get_template("report/ropa.html.j2").render(**_html_context(record))
    out.write(page.encode("utf-8"))


def _html_context(record: Record) -> dict:
    def rows(sheet: Sheet):
        return [[{"text": row.cells[c.key], "missing": row.cells[c.key].startswith(MISSING)} for c in sheet.columns]
                for row in sheet.rows]

    return {
        "title": f"Record of processing activities: {record.organisation}",
        "version": __version__,
        "organisation": record.organisation,
        "template": record.template,
        "gaps": len(record.gaps),
        "sheets": [
            {"name": s.name, "columns": s.columns, "rows": rows(s), "empty": s.empty} for s in record.sheets
        ],
    }


#: format name -> writer. Adding a format is adding one function and one line here.
WRITERS: dict[str, Callable[[Record, BinaryIO], None]] = {
    "xlsx": write_xlsx,
    "csv": write_csv,
    "html": write_html,
    "json": write_json,
}
