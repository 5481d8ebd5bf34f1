"""Generators of hostile input too big (or too strange) to commit: bombs, deep nesting, FIFOs, link loops.

Shared by ``tests/test_hostile_input.py`` and ``benchmarks/hostile.py`` (which measures their time and memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def shared_strings_workbook(path: Path, rows: list[list[int]], strings: int, text: str = "x") -> Path:
    """An .xlsx whose cells are indexes into a table of ``strings`` shared strings, each ``text``.

    A cell index at or past ``strings`` points at a shared string that does not exist.
    """
    sheet_rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{v}</v></c>' for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>{sheet_rows}</sheetData></worksheet>'
    item = f"<si><t>{text}</t></si>".encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="{strings}" uniqueCount="{strings}">'.encode())
            chunk = item * 10_000
            for _ in range(strings // 10_000):
                fh.write(chunk)
            fh.write(item * (strings % 10_000))
            fh.write(b"</sst>")
    return path


def parquet_bomb(path: Path, megabytes: int) -> Path:
    """A small zstd Parquet file holding one string cell of ``megabytes`` MiB.

    Written by a child process, so the caller's memory (and the peak RSS of processes it starts) stays small.
    """
    code = (
        "import sys, pyarrow as pa, pyarrow.parquet as pq; "
        "pq.write_table(pa.table({'notes': ['a' * (int(sys.argv[2]) << 20)]}), sys.argv[1], compression='zstd')"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(megabytes)], check=True)
    return path


def deep_json(path: Path, depth: int, lines: bool = False) -> Path:
    """A JSON array (or one JSON Lines record) nested ``depth`` levels deep."""
    value = "[" * depth + "]" * depth
    path.write_text(f'{{"a": {value}}}\n' if lines else value, encoding="utf-8")
    return path


def long_number_json(path: Path, digits: int) -> Path:
    """A JSON record whose one number has ``digits`` digits."""
    path.write_text('[{"id": ' + "1" * digits + "}]", encoding="utf-8")
    return path


def deep_yaml(path: Path, depth: int) -> Path:
    """A YAML inventory whose one value is a flow sequence nested ``depth`` levels deep."""
    path.write_text("datasets: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return path


def long_cell_csv(path: Path, size: int) -> Path:
    """A CSV file with one quoted cell of ``size`` characters."""
    path.write_text('id,notes\n1,"' + "x" * size + '"\n', encoding="utf-8")
    return path


def fifo(path: Path) -> Path:
    """A named pipe: opening it for reading blocks until a writer comes, which never happens."""
    os.mkfifo(path)
    return path


def link_loop(folder: Path, name: str) -> Path:
    """Two symbolic links pointing at each other; returns the first."""
    first, second = folder / name, folder / f"other-{name}"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first
