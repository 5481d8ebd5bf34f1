"""Synthetic customer tables with known answers, for engine accuracy tests and timing.

``build_table(rows)`` returns a polars DataFrame of 30 Utf8 columns (personal and
non-personal) plus the expected entity of each column and the row keys of the
leaks planted in its ``notes`` column. Values come from pools drawn with Faker
and are picked with numpy, so 100,000 rows take a few seconds to build.

Time the engine on it::

    python tests/synthetic_tables.py --rows 100000 [--neutral] [--no-ner]
"""

from __future__ import annotations

import argparse
import random
import string
import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

ROW_KEY = "__row_key__"


def _luhn_complete(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return body + str((10 - total % 10) % 10)


def _npi(rng: random.Random) -> str:
    body = str(rng.choice("12")) + "".join(rng.choice(string.digits) for _ in range(8))
    full = _luhn_complete("80840" + body)
    return full[5:]


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _suffixed(handles: pl.Series, ids: pl.Series) -> pl.Series:
    """Usernames made unique the way sites do it: handle plus a number."""
    return pl.DataFrame({"h": handles, "i": ids}).select(pl.concat_str([pl.col("h"), pl.col("i")])).to_series()


def _password(rng: random.Random) -> str:
    chars = [
        rng.choice(string.ascii_lowercase),
        rng.choice(string.ascii_uppercase),
        rng.choice(string.digits),
        rng.choice("!@#$%^&*()_+"),
    ]
    chars += rng.choices(string.ascii_letters + string.digits + "!@#$%^&*", k=rng.randint(6, 12))
    rng.shuffle(chars)
    return "".join(chars)


def _bcrypt(rng: random.Random) -> str:
    return "$2b$12$" + "".join(rng.choices(string.ascii_letters + string.digits + "./", k=53))


@dataclass
class SyntheticTable:
    """A generated table and what the engine should find in it."""

    frame: pl.DataFrame
    expected: dict[str, str | None]
    leaks: dict[str, set[str]] = field(default_factory=dict)

    def renamed(self) -> SyntheticTable:
        """The same table with neutral column names ``c01``, ``c02``, ..."""
        names = {c: f"c{i + 1:02d}" for i, c in enumerate(c for c in self.frame.columns if c != ROW_KEY)}
        return SyntheticTable(
            self.frame.rename(names),
            {names[c]: e for c, e in self.expected.items()},
            self.leaks,
        )


def build_table(rows: int, seed: int = 7, leak_rate: float = 0.003) -> SyntheticTable:
    """A customer table of ``rows`` rows with 30 columns and leaks planted in ``notes``."""
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(seed)
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    pool = min(rows, 20_000)

    def pick(values: list[str]) -> pl.Series:
        return pl.Series(values).gather(np_rng.integers(0, len(values), rows))

    first = pick([fake.first_name() for _ in range(pool)])
    last = pick([fake.last_name() for _ in range(pool)])
    ids = pl.Series([str(i + 1) for i in range(rows)])
    email = (
        pl.DataFrame({"f": first, "l": last, "i": ids})
        .select(
            pl.concat_str(
                [
                    pl.col("f").str.to_lowercase(),
                    pl.lit("."),
                    pl.col("l").str.to_lowercase(),
                    pl.col("i"),
                    pl.lit("@example.com"),
                ]
            )
        )
        .to_series()
    )
    birth_days = np_rng.integers(date(1935, 1, 1).toordinal(), date(2014, 12, 31).toordinal(), rows)
    created = np_rng.integers(date(2023, 1, 1).toordinal(), date(2025, 6, 30).toordinal(), rows)
    seconds = np_rng.integers(0, 86_400, rows)
    zips = np_rng.integers(501, 99_950, rows)
    octets = np_rng.integers(1, 255, (rows, 4))
    macs = np_rng.integers(0, 256, (rows, 6))

    columns: dict[str, tuple[pl.Series, str | None]] = {
        "id": (ids, None),
        "first_name": (first, "FIRST_NAME"),
        "last_name": (last, "LAST_NAME"),
        "full_name": (pick([fake.name() for _ in range(pool)]), "PERSON"),
        "email": (email, "EMAIL_ADDRESS"),
        "phone": (pick([fake.phone_number() for _ in range(pool)]), "PHONE_NUMBER"),
        "ssn": (pick([_ssn(rng) for _ in range(pool)]), "US_SSN"),
        "card_number": (pick([fake.credit_card_number() for _ in range(pool)]), "CREDIT_CARD"),
        "iban": (pick([fake.iban() for _ in range(min(pool, 5000))]), "IBAN_CODE"),
        "date_of_birth": (pl.Series([date.fromordinal(int(d)).isoformat() for d in birth_days]), "DATE_OF_BIRTH"),
        "gender": (pick(["female", "male", "female", "male", "non-binary"]), "GENDER"),
        "street_address": (pick([fake.street_address() for _ in range(pool)]), "STREET_ADDRESS"),
        "city": (pick([fake.city() for _ in range(pool)]), "CITY"),
        "zip": (pl.Series([f"{z:05d}" for z in zips]), "POSTAL_CODE"),
        "ip_address": (pl.Series([".".join(map(str, o)) for o in octets.tolist()]), "IP_ADDRESS"),
        "mac_address": (pl.Series([":".join(f"{b:02x}" for b in m) for m in macs.tolist()]), "MAC_ADDRESS"),
        "imei": (pick([_luhn_complete("35" + "".join(rng.choices(string.digits, k=12))) for _ in range(pool)]), "IMEI"),
        "username": (_suffixed(pick([fake.user_name() for _ in range(pool)]), ids), "USERNAME"),
        "password": (pl.Series([_password(rng) for _ in range(rows)]), "PASSWORD"),
        "password_hash": (pick([_bcrypt(rng) for _ in range(pool)]), "PASSWORD_HASH"),
        "company": (pick([fake.company() for _ in range(pool)]), "ORGANIZATION"),
        "job_title": (pick([fake.job() for _ in range(pool)]), "OCCUPATION"),
        "prescriber_npi": (pick([_npi(rng) for _ in range(pool)]), "US_NPI"),
        "order_total": (pl.Series(np.round(np_rng.uniform(1, 500, rows), 2)).cast(pl.Utf8), None),
        "quantity": (pl.Series(np_rng.integers(1, 12, rows)).cast(pl.Utf8), None),
        "sku": (pl.Series([f"SKU-{n:05d}" for n in np_rng.integers(0, 99_999, rows)]), None),
        "created_at": (
            pl.Series(
                [
                    f"{date.fromordinal(int(d)).isoformat()} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
                    for d, s in zip(created, seconds)
                ]
            ),
            None,
        ),
        "status": (pick(["delivered", "pending", "refunded", "shipped", "cancelled"]), None),
        "loyalty_points": (pl.Series(np_rng.integers(0, 5000, rows)).cast(pl.Utf8), None),
    }
    notes, leaks = _notes(rows, rng, fake, leak_rate)
    columns["notes"] = (notes, None)
    frame = pl.DataFrame({name: series.alias(name) for name, (series, _) in columns.items()})
    frame = frame.with_columns(pl.Series(ROW_KEY, [f"line {i + 2}" for i in range(rows)]))
    return SyntheticTable(frame, {name: entity for name, (_, entity) in columns.items()}, leaks)


def _notes(rows: int, rng: random.Random, fake, leak_rate: float) -> tuple[pl.Series, dict[str, set[str]]]:
    """Support notes; a few carry an SSN, card number, IBAN, e-mail address or phone number."""
    plain = [
        "Customer called about the delivery window; rescheduled to Friday morning.",
        "Refund issued to original payment method after damaged stems were reported.",
        "Asked whether the bouquet can be delivered without a card message.",
        "Order {n} left with the neighbour at number {m}, photo attached.",
        "Loyalty points adjusted by {m} after the promotion error.",
        "Wants roses instead of tulips for the {n} standing order.",
    ]
    leak_templates = {
        "US_SSN": lambda: f"Customer read out her SSN {_ssn(rng)} to verify the account; do not store this.",
        "CREDIT_CARD": lambda: (
            f"Paid by phone, card {fake.credit_card_number()} exp {rng.randint(1, 12):02d}/{rng.randint(26, 31)}."
        ),
        "IBAN_CODE": lambda: f"Refund to IBAN {fake.iban()} as requested by the customer.",
        "EMAIL_ADDRESS": lambda: f"Send the invoice to {fake.email()} instead of the account address.",
        "PHONE_NUMBER": lambda: f"Please call back on {fake.phone_number()} after 5pm.",
    }
    out, leaks = [], {entity: set() for entity in leak_templates}
    for i in range(rows):
        if rng.random() < leak_rate:
            entity = rng.choice(list(leak_templates))
            out.append(leak_templates[entity]())
            leaks[entity].add(f"line {i + 2}")
        else:
            out.append(rng.choice(plain).format(n=rng.randint(1000, 99999), m=rng.randint(1, 400)))
    return pl.Series(out), leaks


def stream_of(frame: pl.DataFrame, name: str = "customers.csv", batch_size: int = 50_000):
    """A :class:`TableStream` over a DataFrame (all columns Utf8, plus the row key)."""
    from governance.scan.readers.base import TableStream

    if ROW_KEY not in frame.columns:
        frame = frame.with_columns(pl.Series(ROW_KEY, [f"line {i + 2}" for i in range(len(frame))]))
    frame = frame.with_columns([pl.col(c).cast(pl.Utf8) for c in frame.columns])
    columns = [c for c in frame.columns if c != ROW_KEY]
    batches = (frame.slice(i, batch_size) for i in range(0, len(frame), batch_size))
    return TableStream(source=name, name="", columns=columns, batches=batches)


def main() -> None:
    from governance.scan.engine import TableScanner
    from governance.scan.options import ScanOptions
    from governance.taxonomy import category_overlaps, entity_category

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--neutral", action="store_true", help="rename columns c01, c02, ...")
    parser.add_argument("--no-ner", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    table = build_table(args.rows)
    if args.neutral:
        table = table.renamed()
    built = time.perf_counter()
    scanner = TableScanner(ScanOptions(ner=not args.no_ner))
    outcome = scanner.scan(stream_of(table.frame))
    took = time.perf_counter() - built
    cells = args.rows * len(table.expected)
    print(f"built {args.rows} rows x {len(table.expected)} columns in {built - started:.1f}s")
    print(f"scanned in {took:.1f}s: {args.rows / took:,.0f} rows/s, {cells / took:,.0f} cells/s")
    found = {f.column: f for f in outcome.findings if f.kind == "column"}
    right = 0
    for column, entity in table.expected.items():
        got = found.get(column)
        ok = (got is None and entity is None) or (
            got is not None and entity is not None and category_overlaps(entity_category(entity), got.category)
        )
        right += ok
        if not ok:
            print(f"  MISS {column}: expected {entity}, got {got.entity if got else None}")
    print(f"column accuracy {right}/{len(table.expected)} = {right / len(table.expected):.3f}")
    for f in outcome.findings:
        if f.kind == "leak":
            planted = table.leaks.get(f.entity, set())
            print(f"  leak {f.entity}: {f.matched} rows (planted {len(planted)})")


if __name__ == "__main__":
    main()
