"""A small CRM in the shape that broke data-subject requests (issue 12), on SQLite, PostgreSQL or MariaDB.

``address`` is referred to by ``customer.address_id``, ``orders.shipping_address_id`` and
``payment_card.billing_address_id``. Alice (customer 1) lives at address 1, shipped order 10 to
Bruno's home (address 2) and order 11 to address 4, and her card is billed to address 3, where
Bruno shipped order 20: addresses 2 and 3 are shared through different links, 1 and 4 are hers
alone. ``service_request.employee_id`` refers to ``employee`` (data subjects: employees).
``visit`` is keyed by the visitor's e-mail address. Chen (3) has nothing to do with either.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from dsr_shop import build_database, table_rows

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dsr_crm"


def crm_metadata() -> sa.MetaData:
    md = sa.MetaData()

    def key(name: str = "id") -> sa.Column:
        return sa.Column(name, sa.Integer, primary_key=True, autoincrement=False)

    def ref(name: str, target: str) -> sa.Column:
        return sa.Column(name, sa.Integer, sa.ForeignKey(target))

    sa.Table("address", md, key(), sa.Column("line1", sa.String(200), nullable=False),
             sa.Column("city", sa.String(100), nullable=False), sa.Column("postal_code", sa.String(20), nullable=False))
    sa.Table("employee", md, key(), sa.Column("name", sa.String(100)), sa.Column("email", sa.String(200)))
    sa.Table("customer", md, key(), sa.Column("name", sa.String(100)), sa.Column("email", sa.String(200)),
             sa.Column("phone", sa.String(50)), ref("address_id", "address.id"))
    sa.Table("orders", md, key(), ref("customer_id", "customer.id"), ref("shipping_address_id", "address.id"),
             sa.Column("ship_to", sa.String(300)), sa.Column("total", sa.Float))
    sa.Table("payment_card", md, key(), ref("customer_id", "customer.id"), ref("billing_address_id", "address.id"),
             sa.Column("card_number", sa.String(30)))
    sa.Table("service_request", md, key(), ref("customer_id", "customer.id"), ref("employee_id", "employee.id"),
             sa.Column("summary", sa.Text))
    sa.Table("visit", md, sa.Column("email", sa.String(200), primary_key=True), sa.Column("last_seen", sa.String(10)),
             sa.Column("pages", sa.Integer))
    return md


def build_crm(directory: Path, db_url: str | None = None, template: Path | None = None) -> Path:
    """Create the CRM in ``db_url`` (default: SQLite in ``directory``) and write its inventory."""
    return build_database(directory, db_url, crm_metadata(), FIXTURES / "rows.json",
                          template or FIXTURES / "inventory.yaml.tmpl")


def crm_rows(directory: Path, db_url: str | None = None) -> dict[str, list[tuple]]:
    """Every row of every CRM table, sorted."""
    return table_rows(directory, db_url, crm_metadata())
