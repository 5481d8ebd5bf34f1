"""Apply a request's changes to every dataset as one unit: all of them, or none.

Each database gets one transaction holding every statement for its tables. Files are
rewritten atomically (write new, fsync, rename) after a backup copy is made beside
them. The databases commit only after every file is written; if anything fails before
that, every transaction is rolled back and every rewritten file is restored from its
backup. Backups are removed once the whole run has succeeded.

One limit remains: with two or more databases, a failure while committing the second
cannot undo the first commit (there is no two-phase commit across servers). The run then
raises an error naming the databases that did commit.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from governance.dsr.datasets import DatabaseAdapter, FileAdapter, Workspace
from governance.dsr.graph import Link
from governance.errors import DsrError, GovernanceError
from governance.fileio import atomic_write
from governance.masking import mask_url_password


@dataclass(frozen=True)
class Change:
    """One change to one row: delete it, or set one field to a new value."""

    dataset: str
    key: tuple
    row_label: str
    field: str | None  # None when the row is deleted
    action: str  # delete_row | null | hash | redact | set
    new_value: Any = None


def dataset_order(dataset_ids: Iterable[str], links: list[Link]) -> list[str]:
    """Datasets ordered so that a dataset comes before the datasets it refers to (delete children first)."""
    remaining = list(dict.fromkeys(dataset_ids))
    refers = {d: {link.to_dataset for link in links if link.from_dataset == d and link.to_dataset != d} for d in remaining}
    ordered: list[str] = []
    while remaining:
        ready = [d for d in remaining if not any(d in refers[o] for o in remaining if o != d)]
        nxt = ready[0] if ready else remaining[0]  # a cycle: keep the given order
        ordered.append(nxt)
        remaining.remove(nxt)
    return ordered


def _fsynced_copy(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)
    with open(dst, "rb") as fh:
        os.fsync(fh.fileno())


def backup_path(path: Path, request_id: str) -> Path:
    """Where a file's backup is kept during a run."""
    return path.with_name(f".{path.name}.{request_id}.bak")


def apply_changes(workspace: Workspace, changes: list[Change], links: list[Link], request_id: str) -> None:
    """Apply ``changes`` to databases and files, all or nothing (see the module docstring)."""
    by_dataset: dict[str, list[Change]] = {}
    for change in changes:
        by_dataset.setdefault(change.dataset, []).append(change)
    order = dataset_order(by_dataset, links)
    databases = workspace.by_database(order)
    files = [d for d in order if isinstance(workspace.adapter(d), FileAdapter)]

    open_tx: list[tuple[str, sa.Connection, sa.Transaction]] = []
    restored: list[tuple[Path, Path]] = []
    try:
        for url, dataset_ids in databases.items():
            conn = workspace.engine(url).connect()
            open_tx.append((url, conn, conn.begin()))
            for ds_id in dataset_ids:
                adapter = workspace.adapter(ds_id)
                assert isinstance(adapter, DatabaseAdapter)
                _run(adapter, lambda a=adapter, c=conn, d=ds_id: a.execute(c, by_dataset[d]))
        for ds_id in files:
            adapter = workspace.adapter(ds_id)
            assert isinstance(adapter, FileAdapter)
            content = adapter.new_content(workspace.records(ds_id), by_dataset[ds_id])
            backup = backup_path(adapter.path, request_id)
            _run(adapter, lambda a=adapter, b=backup: _fsynced_copy(a.path, b))
            restored.append((adapter.path, backup))
            _run(adapter, lambda a=adapter, t=content: _write(a.path, t))
        committed: list[str] = []
        for url, _conn, tx in open_tx:
            try:
                tx.commit()
            except sa.exc.SQLAlchemyError as exc:
                if committed:
                    raise DsrError(
                        f"committing the changes failed ({exc.__class__.__name__}) after "
                        f"{', '.join(mask_url_password(u) for u in committed)} had committed",
                        where=mask_url_password(url), hint="check those databases by hand") from None
                raise
            committed.append(url)
    except BaseException:
        for path, backup in reversed(restored):
            os.replace(backup, path)
        for _url, _conn, tx in open_tx:
            if tx.is_active:
                tx.rollback()
        raise
    else:
        for _path, backup in restored:
            backup.unlink(missing_ok=True)
    finally:
        for _url, conn, _tx in open_tx:
            conn.close()
        workspace.refresh()


def _write(path: Path, text: str) -> None:
    with atomic_write(path, newline="") as fh:
        fh.write(text)


def _run(adapter, step) -> None:
    """Run one step; turn driver and OS errors into one line that names the dataset and no values."""
    try:
        step()
    except GovernanceError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        kind = exc.orig.__class__.__name__ if getattr(exc, "orig", None) is not None else exc.__class__.__name__
        raise DsrError(f"the database refused a change ({kind}); nothing was changed",
                       where=adapter.where, hint="fix the cause and run the request again") from None
    except OSError as exc:
        raise DsrError(f"the file could not be rewritten ({exc.__class__.__name__}: {exc.strerror}); nothing was changed",
                       where=adapter.where, hint="fix the cause and run the request again") from None
