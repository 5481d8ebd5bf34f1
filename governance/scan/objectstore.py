"""Object storage and other fsspec URLs (``s3://bucket/prefix``, ``gs://…``, ``az://…``) scanned like a folder.

A URL whose scheme is not a database's and that fsspec knows is listed recursively:
every object a reader takes (by suffix; hidden names and the toolkit's own JSON reports
left out) is one file of the source, in name order. Each object is downloaded into a
private temporary folder, read by the same reader as a local file, and deleted once
read; reports name it by its URL (any password masked). An incremental scan
fingerprints an object by its size and the store's ETag (or modification time), so an
unchanged object is not downloaded at all.

Credentials come from the filesystem package's usual places: for ``s3://`` (s3fs),
the AWS environment variables (``AWS_ACCESS_KEY_ID``, ``AWS_PROFILE``,
``AWS_ENDPOINT_URL_S3``...) and ``~/.aws/config`` and ``credentials``. They are never
printed: error messages are cut to one line with every secret of the environment removed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from governance.errors import InputError
from governance.masking import mask_url_password, redact_text
from governance.scan.readers import reader_for, suffixes
from governance.scan.readers.base import TableStream
from governance.scan.state import Fingerprint

#: Opens a local file as table streams (``governance.scan.sources`` passes its own).
FileOpener = Callable[[Path], Iterator[TableStream]]
#: Environment variables whose values never appear in a message.
SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN")
_OWN_REPORT_HEAD = 4096
_INSTALL_HINT = "for s3:// URLs: pip install 'governance[s3]'"


def scheme(source: str) -> str:
    """The URL scheme without any ``+driver`` (``s3``, ``postgresql``), lower-case; empty for a path."""
    head, sep, _ = source.partition("://")
    return head.split("+", 1)[0].lower() if sep else ""


def is_object_url(source: str) -> bool:
    """Whether ``source`` names objects through fsspec rather than a database."""
    from governance.scan.databases import registry

    name = scheme(source)
    if not name or name in registry():
        return False
    try:
        from fsspec.registry import known_implementations, registry as loaded
    except ImportError:
        return False
    return name in known_implementations or name in loaded


def _reason(exc: BaseException) -> str:
    text = next((line.strip() for line in str(exc).splitlines() if line.strip()), exc.__class__.__name__)
    secrets = sorted((os.environ.get(v) or "" for v in SECRET_VARIABLES), key=len, reverse=True)
    return redact_text(text, secrets)


class ObjectSource:
    """The objects under one fsspec URL."""

    def __init__(self, url: str):
        self.url = url
        self.where = mask_url_password(url)
        try:
            from fsspec.core import url_to_fs

            self.fs, root = url_to_fs(url, skip_instance_cache=True)  # a fresh listing every scan
            self.root = root.rstrip("/")
        except ImportError as exc:
            raise InputError(f"no filesystem package for this URL: {_reason(exc)}", where=self.where, hint=_INSTALL_HINT) from None
        except Exception as exc:  # any filesystem's own error while it parses the URL or reads its config
            raise InputError(f"cannot open the store: {_reason(exc)}", where=self.where) from None

    def display(self, path: str) -> str:
        """How an object is named in reports: its URL, password masked."""
        return mask_url_password(self.fs.unstrip_protocol(path))

    def objects(self) -> list[tuple[str, dict]]:
        """``(path, info)`` of every object a reader takes, in name order; an error when there is none."""
        try:
            if self.fs.isfile(self.root):
                found = {self.root: self.fs.info(self.root)}
            else:
                found = self.fs.find(self.root, detail=True)
        except Exception as exc:  # permission, missing bucket, no credentials: one line
            raise InputError(f"cannot list the objects: {_reason(exc)}", where=self.where) from None
        chosen = [
            (path, info)
            for path, info in sorted(found.items())
            if info.get("type", "file") != "directory" and self._readable(path)
        ]
        if not chosen:
            raise InputError("no object here to scan", where=self.where, hint=f"readable: {', '.join(suffixes())}")
        return chosen

    def _readable(self, path: str) -> bool:
        inside = PurePosixPath(path).relative_to(self.root) if path != self.root else PurePosixPath(PurePosixPath(path).name)
        if any(part.startswith(".") for part in inside.parts) or reader_for(path) is None:
            return False
        return not (path.lower().endswith(".json") and self._own_report(path))

    def _own_report(self, path: str) -> bool:
        from governance.scan.sources import is_own_report_head

        try:
            head = self.fs.cat_file(path, start=0, end=_OWN_REPORT_HEAD)
        except Exception:  # unreadable: the reader will say so when it opens it
            return False
        return is_own_report_head(head.decode("utf-8", errors="replace"))

    @staticmethod
    def fingerprint(info: dict) -> Fingerprint:
        """Size plus the store's ETag, else its modification time."""
        fingerprint: Fingerprint = {"size": int(info.get("size") or 0)}
        etag = info.get("ETag") or info.get("etag")
        if etag:
            return {**fingerprint, "etag": str(etag).strip('"')}
        modified = next((info[k] for k in ("LastModified", "last_modified", "mtime", "modified") if info.get(k)), None)
        return {**fingerprint, "mtime": str(modified)} if modified is not None else fingerprint

    def open(self, path: str, open_file: FileOpener) -> Iterator[TableStream]:
        """Download one object to a private temporary folder and read it as a local file."""
        where = self.display(path)
        with tempfile.TemporaryDirectory(prefix="governance-") as tmp:
            local = Path(tmp) / PurePosixPath(path).name
            try:
                self.fs.get_file(path, str(local))
            except Exception as exc:  # network, permission, vanished object
                raise InputError(f"cannot download the object: {_reason(exc)}", where=where) from None
            try:
                for stream in open_file(local):
                    stream.source = where
                    stream.batches = _renamed(stream.batches, str(local), where)
                    yield stream
            except InputError as exc:
                raise _rename(exc, str(local), where) from None


def _rename(exc: InputError, local: str, where: str) -> InputError:
    """The error naming the object's URL instead of the temporary file."""
    return InputError(
        exc.message.replace(local, where),
        where=(exc.where or local).replace(local, where),
        hint=exc.hint,
        details=[d.replace(local, where) for d in exc.details],
    )


def _renamed(batches, local: str, where: str):
    try:
        yield from batches
    except InputError as exc:
        raise _rename(exc, local, where) from None
