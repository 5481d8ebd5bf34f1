"""Propose references between database tables for a starter inventory.

Declared foreign keys are proposed as confirmed. Otherwise a column named like
``customer_id`` (or ``customerid``) is proposed as a reference to the single-column
primary key of table ``customer``/``customers``/... when every non-null value occurs
there (checked in SQL), with ``confirmed: false`` for a person to confirm.
"""

from __future__ import annotations

import re

from governance.errors import InputError
from governance.inventory.starter import StarterReference

_ID_COLUMN = re.compile(r"^(?P<stem>[a-z][a-z0-9_]*?)_?id$")


def _candidates(stem: str) -> list[str]:
    names = [stem, stem + "s", stem + "es"]
    if stem.endswith("y"):
        names.append(stem[:-1] + "ies")
    return names


def database_keys(url: str) -> tuple[dict[str, list[StarterReference]], dict[str, list[str]]]:
    """``(references by table, primary key by table)`` of the database at ``url`` (default schema)."""
    import sqlalchemy as sa

    from governance.scan.databases.urls import open_engine, parse_database_url

    db = parse_database_url(url)
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return _keys(conn)
    except sa.exc.SQLAlchemyError as exc:
        raise InputError(f"cannot read the table keys: {db.describe(exc)}", where=db.display) from None
    finally:
        engine.dispose()


def _keys(conn) -> tuple[dict[str, list[StarterReference]], dict[str, list[str]]]:
    import sqlalchemy as sa

    inspector = sa.inspect(conn)
    tables = inspector.get_table_names()
    lower = {t.lower(): t for t in tables}
    pks = {t: inspector.get_pk_constraint(t).get("constrained_columns") or [] for t in tables}
    refs: dict[str, list[StarterReference]] = {}
    for table in tables:
        found = refs.setdefault(table, [])
        declared = set()
        for fk in inspector.get_foreign_keys(table):
            if len(fk["constrained_columns"]) == 1 and fk.get("referred_table") in pks:
                column = fk["constrained_columns"][0]
                declared.add(column)
                found.append(StarterReference(column, fk["referred_table"], fk["referred_columns"][0], True,
                                              "declared foreign key"))
        for col in inspector.get_columns(table):
            column = col["name"]
            match = _ID_COLUMN.match(column.lower())
            if column in declared or column.lower() == "id" or not match:
                continue
            for name in _candidates(match["stem"]):
                parent = lower.get(name)
                if parent is None or parent == table or len(pks[parent]) != 1:
                    continue
                total, orphans = _orphans(conn, table, column, parent, pks[parent][0])
                if total and not orphans:
                    found.append(StarterReference(column, parent, pks[parent][0], False,
                                                  f"inferred from the name; all {total} values occur in {parent}"))
                break
    return refs, pks


def _orphans(conn, table: str, column: str, parent: str, key: str) -> tuple[int, int]:
    """Non-null values in ``table.column`` and how many have no match in ``parent.key`` (bound SQL)."""
    import sqlalchemy as sa

    child_t = sa.table(table, sa.column(column))
    parent_t = sa.table(parent, sa.column(key))
    value = child_t.c[column]
    total = conn.execute(sa.select(sa.func.count()).select_from(child_t).where(value.is_not(None))).scalar_one()
    orphans = conn.execute(
        sa.select(sa.func.count()).select_from(child_t)
        .where(value.is_not(None), value.not_in(sa.select(parent_t.c[key]).where(parent_t.c[key].is_not(None))))
    ).scalar_one()
    return total, orphans
