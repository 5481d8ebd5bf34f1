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

import sqlalchemy as sa

from governance.errors import InputError
from governance.masking import mask_url_password
from governance.scan.databases.base import Dialect, read_tables
from governance.scan.databases.mysql import MYSQL
from governance.scan.databases.postgresql import POSTGRESQL
from governance.scan.databases.sqlite import SQLITE
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


def parse_url(url: str) -> tuple[Dialect, sa.URL]:
    """The dialect and parsed URL of a database URL; :class:`InputError` (password masked) if unusable."""
    where = mask_url_password(url)
    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise InputError("not a valid database URL", where=where, hint="e.g. postgresql://user@host:5432/db") from None
    scheme = parsed.drivername.split("+", 1)[0].lower()
    dialect = registry().get(scheme)
    if dialect is None:
        supported = ", ".join(sorted(registry()))
        raise InputError(f"unsupported database type '{scheme}'", where=where, hint=f"supported: {supported}")
    return dialect, parsed


def iter_database(
    url: str, options: ScanOptions, *, tables: Sequence[str] | None = None, display: str | None = None
) -> Iterator[TableStream]:
    """The tables of the database at ``url`` (only ``tables`` if given: names or ``schema.name``).

    Streams and errors name the source ``display`` (default: the URL with its password masked).
    """
    where = display or mask_url_password(url)
    dialect, parsed = parse_url(url)
    yield from read_tables(dialect, parsed, options, where=where, secrets=[parsed.password], tables=tables)


def resolve_url(url: str, base_dir: str | Path) -> str:
    """``url`` with a relative SQLite path made relative to ``base_dir`` (other URLs are unchanged).

    For inventories: ``sqlite:///data/shop.db`` in ``policies/example/inventory.yaml``
    means ``policies/example/data/shop.db``.
    """
    dialect, parsed = parse_url(url)
    resolved = dialect.resolve(parsed, Path(base_dir))
    return url if resolved is parsed else resolved.render_as_string(hide_password=False)
