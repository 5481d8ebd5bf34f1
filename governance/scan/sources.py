"""What a scan source names: a file, a folder of files, or a database URL.

* A URL whose scheme fsspec knows (``s3://bucket/prefix``) is read like a folder
  (see :mod:`governance.scan.objectstore`); any other URL is a database's
  (see :mod:`governance.scan.databases`).
* A file is read by the reader registered for its suffix (see :mod:`governance.scan.readers`).
* A folder is walked recursively, in name order: files with a registered suffix are
  read; hidden files and folders (``.name``) and the toolkit's own JSON reports
  are skipped. One bad file does not stop the others (see :func:`iter_tables`).

Every problem is an :class:`InputError` naming the source (database passwords masked).

:func:`iter_units` splits a source into the units an incremental scan fingerprints
and reads or carries over: each file of a folder, each table of a database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from governance.errors import InputError
from governance.masking import mask_url_password
from governance.scan.databases import iter_database, resolve_url
from governance.scan.objectstore import ObjectSource, is_object_url
from governance.scan.options import ScanOptions
from governance.scan.readers import reader_for, suffixes
from governance.scan.readers.base import TableStream
from governance.scan.state import Fingerprint

__all__ = ["Unit", "is_database_url", "iter_tables", "iter_units", "resolve_url", "source_display", "source_key", "walk"]

#: Called with each file's error while a folder's other files go on being read.
ErrorHandler = Callable[[InputError], None]

# The JSON report written by ``governance scan``/``check`` names the tool near its start.
_OWN_REPORT = re.compile(r'"tool"\s*:\s*\{\s*"name"\s*:\s*"governance"')
_OWN_REPORT_HEAD = 4096


def is_database_url(source: str) -> bool:
    """Whether ``source`` is a database URL rather than a path."""
    return "://" in source


def source_display(source: str) -> str:
    """How a source is named in output: database URLs lose their password."""
    return mask_url_password(source) if is_database_url(source) else source


def source_key(source: str) -> str:
    """A comparable key for a source: absolute file path, absolute SQLite path, or URL without password."""
    if not is_database_url(source):
        return str(Path(source).resolve())
    if source.startswith("sqlite"):
        db = source.split("://", 1)[1][1:].partition("?")[0]
        return "sqlite:" + (str(Path(db).resolve()) if db and db != ":memory:" else db)
    return mask_url_password(source)


def iter_tables(
    source: str,
    options: ScanOptions,
    *,
    tables: Sequence[str] | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[TableStream]:
    """The tables of one source, each a lazily read :class:`TableStream`.

    ``tables`` limits a database to those tables (``name`` or ``schema.name``) and a
    file to those sheets or JSON tables; naming one that does not exist is an error. In a folder, a file that cannot be
    read is passed to ``on_error`` and the walk goes on; without ``on_error`` the
    good files are yielded first and one error listing every bad file is raised
    at the end. Errors raised while a stream's batches are read are
    :class:`InputError` too, naming the file or database.
    """
    if is_object_url(source):
        yield from _objects_tables(source, options, on_error)
        return
    if is_database_url(source):
        yield from iter_database(source, options, tables=tables)
        return
    path = _existing(source)
    if not path.is_dir():
        yield from _only(_open_file(path, options), tables, source) if tables else _open_file(path, options)
        return
    failed: list[InputError] = []
    for file in _folder_files(path, source):
        try:
            yield from _open_file(file, options)
        except InputError as exc:
            (on_error or failed.append)(exc)
    if failed:
        raise InputError(
            f"{len(failed)} file(s) could not be read", where=source, details=[e.one_line() for e in failed]
        )


@dataclass
class Unit:
    """What an incremental scan fingerprints, then reads or carries over: a file or a database table.

    ``key`` names it in the state file; ``fingerprint(previous)`` says what it holds now
    (``previous``, its stored fingerprint, lets a file skip hashing); ``open()`` reads it.
    """

    key: str
    fingerprint: Callable[[Fingerprint | None], Fingerprint]
    open: Callable[[], Iterator[TableStream]]


def iter_units(
    source: str, options: ScanOptions, *, change_columns: Mapping[str, str] | None = None
) -> Iterator[Unit]:
    """The units of one source: the file itself, each file of a folder, or each table of a database.

    ``change_columns`` (table or ``*`` -> column) picks the column whose maximum
    fingerprints a table (see :class:`governance.scan.fingerprints.TableFingerprints`).
    """
    from governance.scan import fingerprints

    if is_object_url(source):
        store = ObjectSource(source)
        for path, info in store.objects():
            yield Unit(
                store.display(path),
                lambda _prev, i=info: store.fingerprint(i),
                lambda p=path: store.open(p, lambda local: _open_file(local, options)),
            )
        return
    if is_database_url(source):
        where = source_display(source)
        tables = fingerprints.TableFingerprints(source, options, change_columns or {}, where=where)
        try:
            for stream in iter_database(source, options, display=where):
                yield Unit(f"{where}|{stream.name}", lambda _prev, s=stream: tables(s), lambda s=stream: iter([s]))
        finally:
            tables.close()
        return
    path = _existing(source)
    for file in _folder_files(path, source) if path.is_dir() else [path]:
        yield Unit(
            str(file),
            lambda prev, f=file: fingerprints.file_fingerprint(f, prev),
            lambda f=file: _open_file(f, options),
        )


def _objects_tables(source: str, options: ScanOptions, on_error: ErrorHandler | None) -> Iterator[TableStream]:
    """The tables of every object under an fsspec URL; bad objects handled as bad files of a folder."""
    failed: list[InputError] = []
    for unit in iter_units(source, options):
        try:
            yield from unit.open()
        except InputError as exc:
            (on_error or failed.append)(exc)
    if failed:
        raise InputError(
            f"{len(failed)} object(s) could not be read", where=source_display(source), details=[e.one_line() for e in failed]
        )


def _existing(source: str) -> Path:
    path = Path(source)
    if not path.exists():
        raise InputError("no such file or folder", where=source, hint="check the path")
    return path


def _folder_files(path: Path, source: str) -> Iterator[Path]:
    """The readable files of a folder; an error when there is none."""
    readable = 0
    for file in walk(path):
        readable += 1
        yield file
    if not readable:
        raise InputError("the folder holds no file to scan", where=source, hint=f"readable: {', '.join(suffixes())}")


def walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` that a reader takes, in name order, hidden ones and own reports left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(root) / name
            if not name.startswith(".") and reader_for(file) is not None and not _own_report(file):
                yield file


def _own_report(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return is_own_report_head(fh.read(_OWN_REPORT_HEAD))
    except OSError:
        return False


def is_own_report_head(head: str) -> bool:
    """Whether the first few KB of a JSON file are those of a report (or state file) this toolkit wrote."""
    return bool(_OWN_REPORT.search(head))


def _open_file(path: Path, options: ScanOptions) -> Iterator[TableStream]:
    reader = reader_for(path)
    if reader is None:
        raise InputError(
            f"cannot read '{path.suffix or path.name}' files", where=str(path), hint=f"readable: {', '.join(suffixes())}"
        )
    if not os.access(path, os.R_OK):
        raise InputError("cannot read the file: permission denied", where=str(path))
    yield from reader.open(path, options)


def _only(streams: Iterator[TableStream], tables: Sequence[str], where: str) -> Iterator[TableStream]:
    """The streams named in ``tables``; an error at the end for names the file does not have."""
    seen: list[str] = []
    for stream in streams:
        seen.append(stream.name)
        if stream.name in tables:
            yield stream
    missing = [t for t in tables if t not in seen]
    if missing:
        known = ", ".join(repr(name) for name in seen) or "none"
        raise InputError(f"no table named '{missing[0]}'", where=where, hint=f"tables here: {known}")
