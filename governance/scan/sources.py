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

import errno
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from governance.errors import GovernanceError, InputError, as_error, os_hint as _os_hint
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
    path = Path(source)
    if not stat.S_ISDIR(_stat(path).st_mode):
        yield from _only(_open_file(path, options), tables, source) if tables else _open_file(path, options)
        return
    failed: list[InputError] = []

    def report(exc: InputError) -> None:
        failed.append(exc)
        if on_error:
            on_error(exc)

    readable = 0
    for file in walk(path, on_error=report):
        readable += 1
        try:
            yield from _open_file(file, options)
        except Exception as exc:  # one bad file never stops the others, whatever went wrong in its reader
            report(_named(as_error(exc), file))
    if not readable and not failed:
        raise InputError("the folder holds no file to scan", where=source, hint=f"readable: {', '.join(suffixes())}")
    if failed and not on_error:
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
    source: str,
    options: ScanOptions,
    *,
    change_columns: Mapping[str, str] | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[Unit]:
    """The units of one source: the file itself, each file of a folder, or each table of a database.

    In a folder, what cannot be listed or is not a regular file goes to ``on_error`` (raised without it).

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
    path = Path(source)
    folder = stat.S_ISDIR(_stat(path).st_mode)
    for file in _folder_files(path, source, on_error) if folder else [path]:
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


def _folder_files(path: Path, source: str, on_error: ErrorHandler | None) -> Iterator[Path]:
    """The readable files of a folder; an error when there is none and nothing was reported."""
    readable, reported = 0, []

    def report(exc: InputError) -> None:
        reported.append(exc)
        if on_error is None:
            raise exc
        on_error(exc)

    for file in walk(path, on_error=report):
        readable += 1
        yield file
    if not readable and not reported:
        raise InputError("the folder holds no file to scan", where=source, hint=f"readable: {', '.join(suffixes())}")


def walk(folder: Path, on_error: ErrorHandler | None = None) -> Iterator[Path]:
    """Files under ``folder`` that a reader takes, in name order, hidden ones and own reports left out.

    A sub-folder that cannot be listed, and a file with a readable suffix that is not a
    regular file (a FIFO, socket, device, broken or looping link), goes to ``on_error``
    (raised without it) and the walk goes on.
    """

    def report(exc: InputError) -> None:
        if on_error is None:
            raise exc
        on_error(exc)

    def unlisted(exc: OSError) -> None:
        report(InputError(f"cannot list the folder: {exc.strerror or exc}", where=str(exc.filename or folder),
                          hint=_os_hint(exc)))

    for root, dirs, files in os.walk(folder, onerror=unlisted):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(root) / name
            if name.startswith(".") or reader_for(file) is None:
                continue
            try:
                _regular(file)
            except InputError as exc:
                report(exc)
                continue
            if not _own_report(file):
                yield file


#: what a path that is not a regular file is, by ``stat`` file type
_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


def _stat(path: Path) -> os.stat_result:
    """``os.stat`` of ``path`` (links followed), its failure named: missing, broken link, link loop, no access."""
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError("broken symbolic link: its target does not exist", where=str(path),
                             hint="fix or remove the link") from None
        raise InputError("no such file or folder", where=str(path), hint="check the path") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("symbolic link loop: the link leads back to itself", where=str(path),
                             hint="fix or remove the link") from None
        raise InputError(f"cannot read it: {exc.strerror or exc}", where=str(path), hint=_os_hint(exc)) from None


def _regular(path: Path) -> None:
    """Raise unless ``path`` is a regular file: opening a FIFO or a device can block forever."""
    kind = _NOT_REGULAR.get(stat.S_IFMT(_stat(path).st_mode))
    if kind is not None:
        raise InputError(f"not a regular file but {kind}", where=str(path),
                         hint="it was not opened; scan regular files only")


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
    _regular(path)
    if not os.access(path, os.R_OK):
        raise InputError("cannot read the file: permission denied", where=str(path))
    yield from reader.open(path, options)


def _named(error: GovernanceError, file: Path) -> InputError:
    """``error`` as an :class:`InputError` naming ``file`` when it names nothing itself."""
    if isinstance(error, InputError) and error.where:
        return error
    return InputError(error.message, where=error.where or str(file), hint=error.hint, details=error.details)


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
