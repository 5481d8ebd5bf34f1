"""Time one data-subject deletion (plan, apply, check) for a customer with many rows, on SQLite.

    python benchmarks/dsr_delete.py --rows 25000 --others 25000

One customer owns ``--rows`` orders, other customers ``--others`` orders; identity and
reference columns are indexed. Prints the wall time of ``governance.dsr.service.delete``
and what the check after the erasure reported.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

INVENTORY = """\
organization: {name: Bench, postal_address: "1 Way, Springfield, IL 62701, USA",
               privacy_contact: {email: privacy@bench.example}, jurisdictions: [EU]}
purposes: [{id: sales, data_use: essential.service, description: Sell., legal_basis: contract}]
datasets:
  - id: customer
    location: {url: "sqlite:///shop.db", table: customer}
    identity_fields: [email]
    fields:
      - {name: id, personal: false}
      - {name: email, category: user.contact.email, purposes: [sales], erasure: hash}
      - {name: name, category: user.name, purposes: [sales], erasure: redact}
  - id: orders
    location: {url: "sqlite:///shop.db", table: orders}
    fields:
      - {name: id, personal: false}
      - {name: customer_id, category: user.unique_id, purposes: [sales]}
      - {name: ship_to, category: user.contact.address, purposes: [sales]}
      - {name: total, category: user.behavior.purchase_history, purposes: [sales]}
"""


def build(directory: Path, rows: int, others: int) -> None:
    db = sqlite3.connect(directory / "shop.db")
    db.executescript("""
        CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
        CREATE INDEX customer_email ON customer (email);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id),
                             ship_to TEXT, total REAL);
        CREATE INDEX orders_customer ON orders (customer_id);
    """)
    db.executemany("INSERT INTO customer VALUES (?, ?, ?)",
                   [(i, f"c{i}@mail.example", f"Customer {i}") for i in range(1, 1002)])
    db.executemany("INSERT INTO orders VALUES (?, 1, ?, 9.5)", [(i, f"{i} Elm Street") for i in range(1, rows + 1)])
    db.executemany("INSERT INTO orders VALUES (?, ?, ?, 3.0)",
                   [(rows + i, 2 + i % 1000, f"{i} Oak Avenue") for i in range(1, others + 1)])
    db.commit()
    db.close()
    (directory / "inventory.yaml").write_text(INVENTORY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000, help="orders of the subject")
    parser.add_argument("--others", type=int, default=25_000, help="orders of other customers")
    args = parser.parse_args()
    from governance.dsr import service

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        build(directory, args.rows, args.others)
        opts = service.RequestOptions(subject=["email=c1@mail.example"], inventory=directory,
                                      ledger=directory / "ledger.db", output_dir=directory / "out",
                                      received=date(2026, 11, 2), today=date(2026, 11, 3))
        start = time.perf_counter()
        outcome = service.delete(opts)
        seconds = time.perf_counter() - start
    print(json.dumps({"rows": args.rows, "others": args.others, "seconds": round(seconds, 1),
                      "status": outcome.status, "changes": len(outcome.changes),
                      "changes_verified": outcome.proof.changes_verified, "remaining": len(outcome.proof.residual)}))


if __name__ == "__main__":
    main()
