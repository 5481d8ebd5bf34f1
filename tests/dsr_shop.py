"""The small shop the data-subject request tests run on: one schema with foreign keys, created
on SQLite, PostgreSQL or MariaDB from SQLAlchemy tables, plus CSV, JSON Lines and JSON files.

Customers: Ann (1) and Bob (2) share address 1; Cara (3) has address 2 to herself and appears
in every file; Dan (4) is in the database only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import sqlalchemy as sa

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dsr"
FILES = ("newsletter.csv", "audience.jsonl", "prospects.json")


def shop_metadata() -> sa.MetaData:
    md = sa.MetaData()
    sa.Table("addresses", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("street", sa.String(200), nullable=False), sa.Column("city", sa.String(100), nullable=False),
             sa.Column("postal_code", sa.String(20), nullable=False))
    sa.Table("customers", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("first_name", sa.String(100)), sa.Column("last_name", sa.String(100)),
             sa.Column("email", sa.String(200), unique=True), sa.Column("phone", sa.String(50)),
             sa.Column("date_of_birth", sa.String(10)),
             sa.Column("address_id", sa.Integer, sa.ForeignKey("addresses.id")))
    sa.Table("user_accounts", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id")),
             sa.Column("username", sa.String(100)), sa.Column("password", sa.String(100)))
    sa.Table("orders", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id")),
             sa.Column("ordered_at", sa.String(20)), sa.Column("total", sa.Float))
    sa.Table("order_items", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id")),
             sa.Column("sku", sa.String(50)), sa.Column("quantity", sa.Integer))
    sa.Table("payment_cards", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id")),
             sa.Column("cardholder", sa.String(100)), sa.Column("card_number", sa.String(30)))
    sa.Table("support_tickets", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id")),
             sa.Column("subject", sa.String(200)), sa.Column("notes", sa.Text))
    sa.Table("pharmacy_patients", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id")),
             sa.Column("mrn", sa.String(20)), sa.Column("diagnosis_code", sa.String(10)))
    return md


def build_database(directory: Path, db_url: str | None, md: sa.MetaData, rows_file: Path, template: Path) -> Path:
    """Create ``md``'s tables with the rows of ``rows_file`` in ``db_url`` (default: SQLite ``directory/shop.db``)
    and write ``template`` as ``directory/inventory.yaml`` with DB_URL replaced."""
    directory.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{directory / 'shop.db'}"
    engine = sa.create_engine(url)
    rows = json.loads(rows_file.read_text())
    with engine.begin() as conn:
        md.create_all(conn)
        for table in md.sorted_tables:
            conn.execute(table.insert(), rows[table.name])
    engine.dispose()
    (directory / "inventory.yaml").write_text(template.read_text().replace("DB_URL", url))
    return directory / "inventory.yaml"


def build_shop(directory: Path, db_url: str | None = None) -> Path:
    """Create the shop in ``db_url`` (default: SQLite in ``directory``), copy the files, write the inventory."""
    inventory = build_database(directory, db_url, shop_metadata(), FIXTURES / "shop_rows.json",
                               FIXTURES / "inventory.yaml.tmpl")
    for name in FILES:
        shutil.copy(FIXTURES / name, directory / name)
    return inventory


def table_rows(directory: Path, db_url: str | None, md: sa.MetaData) -> dict[str, list[tuple]]:
    """Every row of every table of ``md``, sorted."""
    url = db_url or f"sqlite:///{directory / 'shop.db'}"
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        out = {table.name: sorted(tuple(r) for r in conn.execute(sa.select(table))) for table in md.sorted_tables}
    engine.dispose()
    return out


def snapshot(directory: Path, db_url: str | None = None) -> dict:
    """Every row of every table (sorted) and the bytes of every file: to compare before and after."""
    out: dict = table_rows(directory, db_url, shop_metadata())
    for name in FILES:
        out[name] = (directory / name).read_bytes()
    return out


def ids(directory: Path, table: str, db_url: str | None = None) -> list[int]:
    url = db_url or f"sqlite:///{directory / 'shop.db'}"
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        out = [r[0] for r in conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY id"))]
    engine.dispose()
    return out
