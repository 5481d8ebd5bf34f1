"""Rebuild the bundled example's data: a small shop's CRM (SQLite) and its CSV/JSON exports.

All people are fake (Faker, fixed seed). The data is built so that every rule pack
has something real to find: plaintext card numbers and passwords, a leaked SSN in
support notes, children in the newsletter list, a purchased e-mail list, and a
"de-identified" research extract that still holds ZIP codes and birth dates.

    python policies/example/build_example.py      # needs Faker (pip install '.[test]')
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SCAN_DATE = date(2026, 11, 1)

SCHEMA = """
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY, street TEXT NOT NULL, city TEXT NOT NULL, state TEXT NOT NULL,
    postal_code TEXT NOT NULL, country TEXT NOT NULL
);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT UNIQUE, phone TEXT,
    date_of_birth TEXT, gender TEXT, address_id INTEGER REFERENCES addresses(id),
    created_at TEXT, marketing_opt_in INTEGER
);
CREATE TABLE user_accounts (
    id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), username TEXT, password TEXT,
    last_login_ip TEXT
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), ordered_at TEXT, status TEXT,
    total REAL
);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id), sku TEXT, quantity INTEGER, unit_price REAL
);
CREATE TABLE payment_cards (
    id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), cardholder TEXT, card_number TEXT,
    expiry TEXT
);
CREATE TABLE support_tickets (
    id INTEGER PRIMARY KEY, customer_id INTEGER, opened_at TEXT, subject TEXT, notes TEXT
);
CREATE TABLE pharmacy_patients (
    id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), mrn TEXT, insurance_member_id TEXT,
    diagnosis_code TEXT, prescriber_npi TEXT, last_visit TEXT
);
"""

ICD10 = ["E11.9", "I10", "J45.909", "M54.5", "F41.1", "K21.9", "E78.5", "J30.9", "L20.9", "N39.0"]
NPIS = ["1234567893", "1245319599", "1003000126", "1518960599"]
SUBJECTS = ["Order arrived late", "Wrong bouquet", "Refund request", "Change delivery address",
            "Question about loyalty points", "Damaged vase", "Subscription pause"]
NOTES = [
    "Customer called about delivery window; rescheduled to Friday morning.",
    "Replaced damaged item, no charge. Customer happy.",
    "Asked to update the card on file; told them to use the account page.",
    "Refund issued to original payment method.",
    "Customer prefers contact by e-mail after 6pm.",
    "",
]


def _dob(fake: Faker, rng: random.Random, child: bool = False) -> date:
    if child:
        return SCAN_DATE - timedelta(days=rng.randint(6 * 365, 12 * 365))
    return fake.date_of_birth(minimum_age=18, maximum_age=85)


def build() -> None:
    fake = Faker("en_US")
    Faker.seed(20261101)
    rng = random.Random(20261101)
    DATA.mkdir(exist_ok=True)
    (DATA / "exports").mkdir(exist_ok=True)
    db_path = DATA / "shop.db"
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    db.executescript(SCHEMA)

    addresses = []
    for i in range(1, 46):
        addresses.append((i, fake.street_address(), fake.city(), fake.state_abbr(), fake.zipcode(), "US"))
    db.executemany("INSERT INTO addresses VALUES (?,?,?,?,?,?)", addresses)

    customers = []
    for i in range(1, 61):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}{i}@{fake.free_email_domain()}".lower()
        address_id = rng.randint(1, 45)  # some households share an address
        customers.append((i, first, last, email, fake.phone_number(), _dob(fake, rng).isoformat(),
                          rng.choice(["female", "male", "female", "male", "non-binary"]), address_id,
                          fake.date_time_between(start_date="-4y", end_date="-1d").isoformat(sep=" "),
                          rng.choice([0, 1])))
    db.executemany("INSERT INTO customers VALUES (?,?,?,?,?,?,?,?,?,?)", customers)

    db.executemany("INSERT INTO user_accounts VALUES (?,?,?,?,?)", [
        (i, c[0], f"{c[1].lower()}{c[2][:1].lower()}{rng.randint(1, 99)}", fake.password(length=12), fake.ipv4_public())
        for i, c in enumerate(customers, start=1)
    ])

    orders, items = [], []
    for oid in range(1, 151):
        cust = rng.choice(customers)
        lines = [(len(items) + k + 1, oid, f"SKU-{rng.randint(1000, 9999)}", rng.randint(1, 3),
                  round(rng.uniform(4, 80), 2)) for k in range(rng.randint(1, 3))]
        items.extend(lines)
        orders.append((oid, cust[0], fake.date_time_between(start_date="-2y").isoformat(sep=" "),
                       rng.choice(["delivered", "delivered", "shipped", "pending", "refunded"]),
                       round(sum(q * p for _, _, _, q, p in lines), 2)))
    db.executemany("INSERT INTO orders VALUES (?,?,?,?,?)", orders)
    db.executemany("INSERT INTO order_items VALUES (?,?,?,?,?)", items)

    db.executemany("INSERT INTO payment_cards VALUES (?,?,?,?,?)", [
        (i, c[0], f"{c[1]} {c[2]}", fake.credit_card_number(card_type=rng.choice(["visa16", "mastercard", "amex"])),
         fake.credit_card_expire())
        for i, c in enumerate(customers[:40], start=1)
    ])

    tickets = []
    for tid in range(1, 81):
        cust = rng.choice(customers)
        note = rng.choice(NOTES)
        if tid == 17:
            note = f"Customer read out her SSN {fake.ssn()} to verify the account; do not store this."
        if tid == 52:
            note = f"Paid by phone, card {fake.credit_card_number(card_type='visa16')} exp 09/28."
        if tid == 63:
            note = f"Asked us to write to her new address instead: {fake.email()}."
        tickets.append((tid, cust[0], fake.date_time_between(start_date="-1y").isoformat(sep=" "),
                        rng.choice(SUBJECTS), note))
    db.executemany("INSERT INTO support_tickets VALUES (?,?,?,?,?)", tickets)

    db.executemany("INSERT INTO pharmacy_patients VALUES (?,?,?,?,?,?,?)", [
        (i, c[0], f"MRN-{rng.randint(100000, 999999)}", f"W{rng.randint(100000000, 999999999)}",
         rng.choice(ICD10), rng.choice(NPIS), fake.date_between(start_date="-1y").isoformat())
        for i, c in enumerate(customers[::3], start=1)
    ])
    db.commit()
    db.close()

    with open(DATA / "exports" / "newsletter_signups.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["signup_id", "email", "first_name", "date_of_birth", "signed_up_on", "signup_page"])
        for i in range(1, 41):
            child = i % 8 == 0
            w.writerow([i, fake.email(), fake.first_name(), _dob(fake, rng, child=child).isoformat(),
                        fake.date_between(start_date="-1y").isoformat(),
                        rng.choice(["/birthday-club", "/newsletter", "/checkout"])])

    with open(DATA / "exports" / "purchased_leads.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["lead_email", "full_name", "phone", "city", "list_vendor"])
        for _ in range(30):
            w.writerow([fake.email(), fake.name(), fake.phone_number(), fake.city(), "Prospect Lists Inc."])

    with open(DATA / "exports" / "research_extract.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["record", "patient_zip", "birth_date", "diagnosis_code", "visit_date"])
        for i in range(1, 26):
            w.writerow([i, fake.zipcode(), _dob(fake, rng).isoformat(), rng.choice(ICD10),
                        fake.date_between(start_date="-1y").isoformat()])

    with open(DATA / "exports" / "ad_audience.jsonl", "w", encoding="utf-8") as fh:
        for c in customers[:25]:
            fh.write(json.dumps({"contact": {"email": c[3], "phone": c[4]},
                                 "segment": rng.choice(["gifting", "weddings", "plants"]),
                                 "lifetime_orders": rng.randint(1, 12)}) + "\n")


if __name__ == "__main__":
    build()
    print(f"wrote {DATA}")
