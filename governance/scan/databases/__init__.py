"""Database dialects, chosen by URL scheme, and reading a database URL as table streams.

Built in: ``sqlite``, ``postgresql``/``postgres`` and ``mysql``/``mariadb``. Other
packages add dialects through the entry-point group ``governance.databases``
(entry-point name: the URL scheme; value: a :class:`Dialect` instance).
Built-in schemes cannot be replaced.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from governance.masking import mask_url_password
from governance.scan.databases.base import Dialect, read_tables
from governance.scan.databases.mysql import MYSQL
from governance.scan.databases.postgresql import POSTGRESQL
from governance.scan.databases.sqlite import SQLITE
from governance.scan.databases.urls import DatabaseURL, parse_database_url
from governance.scan.options import ScanOptions
from governance.scan.readers.base import TableStream

ENTRY_POINT_GROUP = "governance.databases"

#: URL scheme (the part before any ``+driver``) -> dialect
DIALECTS: dict[str, Dialect] = {
    "sqlite": SQLITE,
    "postgresql": POSTGRESQL,
    "postgres": POSTGRESQL,
    "mysql": MYSQL,
    "mariadb": MYSQL,
}


@cache
def registry() -> dict[str, Dialect]:
    """Built-in dialects plus those of installed plugins."""
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in DIALECTS}
    return {**DIALECTS, **{name: ep.load() for name, ep in found.items()}}


def parse_url(url: str) -> tuple[Dialect, DatabaseURL]:
    """The dialect and the URL we open (see :mod:`.urls`); :class:`InputError` (password masked) if unusable."""
    db = parse_database_url(url)
    return registry()[db.scheme], db


def iter_database(
    url: str, options: ScanOptions, *, tables: Sequence[str] | None = None, display: str | None = None
) -> Iterator[TableStream]:
    """The tables of the database at ``url`` (only ``tables`` if given: names or ``schema.name``).

    Streams and errors name the source ``display`` (default: the URL with its password masked).
    """
    where = display or mask_url_password(url)
    dialect, db = parse_url(url)
    yield from read_tables(dialect, db.url, options, where=where, secrets=db.secrets, tables=tables)


def resolve_url(url: str, base_dir: str | Path) -> str:
    """``url`` with a relative SQLite path made relative to ``base_dir`` (other URLs are unchanged).

    For inventories: ``sqlite:///data/shop.db`` in ``policies/example/inventory.yaml``
    means ``policies/example/data/shop.db``.
    """
    dialect, db = parse_url(url)
    resolved = dialect.resolve(db.url, Path(base_dir))
    if resolved is db.url:
        return url
    return resolved.set(drivername=url.partition("://")[0]).render_as_string(hide_password=False)
