"""Database sources: SQLite files, real PostgreSQL and MariaDB databases, read-only sessions, masked errors."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.errors import InputError
from governance.masking import mask_url_password
from governance.scan.databases import POSTGRESQL, iter_database, parse_url, resolve_url
from governance.scan.databases.mysql import MYSQL
from governance.scan.databases.sqlite import SQLITE
from governance.scan.options import ScanOptions
from governance.scan.sources import iter_tables

REPO = Path(__file__).resolve().parents[1]
SHOP = REPO / "policies" / "example" / "data" / "shop.db"
SECRET = "Pa55-w0rd!secret"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def read_all(source: str, **kwargs) -> dict[str, tuple[list[str], list[tuple]]]:
    tables = kwargs.pop("tables", None)
    streams = iter_tables(source, ScanOptions(**kwargs), tables=tables)
    return {s.name: (s.columns, [row for b in s.batches for row in b.rows()]) for s in streams}


def assert_clean(err: pytest.ExceptionInfo, source_shown: str, caplog) -> None:
    """One line, naming the source with its password masked, and the password nowhere."""
    exc = err.value
    assert exc.where == source_shown and ":***@" in source_shown
    texts = [str(exc), repr(exc), exc.one_line(), exc.message, *(exc.hint or "",), caplog.text]
    assert all(SECRET not in t and "Pa55" not in t for t in texts)
    assert "\n" not in exc.one_line()


# --- SQLite ------------------------------------------------------------------------------------


def test_the_example_shop_database_reads_every_table_by_primary_key_without_changing_it():
    before = hashlib.sha256(SHOP.read_bytes()).hexdigest()
    found = read_all(f"sqlite:///{SHOP}")
    assert list(found) == [
        "addresses", "customers", "order_items", "orders", "payment_cards", "pharmacy_patients",
        "support_tickets", "user_accounts",
    ]
    columns, rows = found["customers"]
    assert columns[:4] == ["id", "first_name", "last_name", "email"]
    assert rows[0][-1] == "id=1" and rows[-1][-1] == f"id={len(rows)}"
    assert hashlib.sha256(SHOP.read_bytes()).hexdigest() == before


@pytest.fixture
def sqlite_db(tmp_path) -> Path:
    path = tmp_path / "crm.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, email TEXT, born DATE, photo BLOB);
            CREATE TABLE visits (person_id INTEGER, day TEXT, note TEXT, PRIMARY KEY (person_id, day));
            CREATE TABLE log (message TEXT);
            CREATE VIEW emails AS SELECT email FROM people;
            """
        )
        conn.executemany(
            "INSERT INTO people VALUES (?, ?, ?, ?, ?)",
            [(1, "Zoë Ådahl", "zoe@example.com", "1990-05-01", PNG), (2, None, "", None, b"text in a blob")],
        )
        conn.executemany("INSERT INTO visits VALUES (?, ?, ?)", [(2, "2024-01-02", "ok"), (1, "2024-01-01", None)])
        conn.executemany("INSERT INTO log VALUES (?)", [("first",), ("second",)])
    return path


def test_sqlite_keys_types_views_and_binary(sqlite_db):
    url = f"sqlite:///{sqlite_db}"
    found = read_all(url)
    assert list(found) == ["log", "people", "visits"]
    assert found["people"] == (
        ["id", "name", "email", "born", "photo"],
        [("1", "Zoë Ådahl", "zoe@example.com", "1990-05-01", None, "id=1"), ("2", None, None, None, "text in a blob", "id=2")],
    )
    assert found["visits"][1] == [("1", "2024-01-01", None, "person_id=1,day=2024-01-01"), ("2", "2024-01-02", "ok", "person_id=2,day=2024-01-02")]
    assert found["log"][1] == [("first", "row 1"), ("second", "row 2")]
    assert list(read_all(url, include_views=True)) == ["log", "people", "visits", "emails"]
    (stream,) = iter_tables(url, ScanOptions(), tables=["people"])
    assert stream.column_types == {"id": "integer", "name": "text", "email": "text", "born": "date", "photo": "blob"}


def test_sqlite_file_in_a_folder_is_read_as_a_database(sqlite_db):
    found = read_all(str(sqlite_db.parent))
    assert list(found) == ["log", "people", "visits"]
    assert next(iter(iter_tables(str(sqlite_db), ScanOptions()))).source == str(sqlite_db)


def test_sqlite_connections_cannot_write(sqlite_db):
    engine = SQLITE.engine(sa.make_url(f"sqlite:///{sqlite_db}"), "test")
    with engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="readonly|read-only|query_only"):
        conn.exec_driver_sql("DELETE FROM log")
    engine.dispose()


def test_relative_sqlite_urls_resolve_against_the_current_or_a_given_folder(monkeypatch, tmp_path):
    assert resolve_url("sqlite:///data/shop.db", REPO / "policies" / "example") == f"sqlite:///{SHOP}"
    assert resolve_url(f"sqlite:///{SHOP}", tmp_path) == f"sqlite:///{SHOP}"
    assert resolve_url("postgresql://bob:x@h/db", tmp_path) == "postgresql://bob:x@h/db"
    monkeypatch.chdir(REPO / "policies" / "example")
    assert "orders" in read_all("sqlite:///data/shop.db", tables=["orders"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///no/such/file.db", "no such database file"),
        ("sqlite://", "names no database file"),
        (f"sqlite:///{REPO / 'pyproject.toml'}", "not an SQLite database"),
    ],
)
def test_sqlite_bad_urls(url, message):
    with pytest.raises(InputError, match=message) as err:
        read_all(url)
    assert err.value.where == url


def test_unknown_table_names_the_tables_there(sqlite_db):
    with pytest.raises(InputError) as err:
        read_all(f"sqlite:///{sqlite_db}", tables=["people", "customers"])
    assert err.value.message == "no table named 'customers'"
    assert err.value.hint == "tables here: log, people, visits, emails"


# --- URLs and connection failures ----------------------------------------------------------------


def test_schemes_choose_dialects():
    assert parse_url("postgres://u@h/db")[0] is POSTGRESQL
    assert parse_url("postgresql+psycopg2://u@h/db")[0] is POSTGRESQL
    assert parse_url("mariadb://u@h/db")[0] is MYSQL and parse_url("mysql://u@h/db")[0] is MYSQL


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"oracle://scott:{SECRET}@127.0.0.1/orcl", "unsupported database type 'oracle'"),
        (f"postgresql://bob:{SECRET}@127.0.0.1:1/shop", "cannot connect: Connection refused"),
        (f"mysql://bob:{SECRET}@127.0.0.1:1/shop", "cannot connect: Can't connect to MySQL server on '127.0.0.1'"),
        (f"mariadb://bob:{SECRET}@127.0.0.1:1/shop", "cannot connect: Can't connect to MySQL server on '127.0.0.1'"),
    ],
)
def test_unreachable_or_unknown_databases_are_one_masked_line(url, message, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InputError) as err:
        read_all(url)
    assert err.value.message.startswith(message)
    assert_clean(err, url.replace(SECRET, "***"), caplog)


@pytest.mark.postgres
def test_postgres_missing_database_is_masked(postgres_url, caplog):
    url = sa.make_url(postgres_url).set(password=SECRET, database="no_such_db_here")
    raw = url.render_as_string(hide_password=False)
    with pytest.raises(InputError) as err:
        read_all(raw)
    assert 'database "no_such_db_here" does not exist' in err.value.message
    assert_clean(err, mask_url_password(raw), caplog)


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def shop_postgres(postgres_url) -> str:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            """
            CREATE SCHEMA sales;
            CREATE TABLE customers (
                id INTEGER PRIMARY KEY, name TEXT, email TEXT, born DATE, joined TIMESTAMP,
                seen TIMESTAMPTZ, photo BYTEA, balance NUMERIC(10, 2), active BOOLEAN, tags TEXT[], prefs JSONB);
            CREATE TABLE events (what TEXT, amount DOUBLE PRECISION);
            CREATE TABLE "Mixed Case" ("Email Address" TEXT PRIMARY KEY);
            CREATE TABLE sales.orders (order_id INTEGER, line INTEGER, sku TEXT, PRIMARY KEY (order_id, line));
            CREATE VIEW adults AS SELECT id, email FROM customers WHERE born < DATE '2000-01-01';
            """
        )
        conn.execute(
            sa.text(
                "INSERT INTO customers VALUES (:id, :name, :email, :born, :joined, :seen, :photo, :balance, :active,"
                " :tags, CAST(:prefs AS JSONB))"
            ),
            [
                {"id": 1, "name": "Zoë Ådahl 🌷", "email": "zoe@example.com", "born": "1990-05-01",
                 "joined": "2024-01-02 03:04:05", "seen": "2024-01-02 03:04:05+00", "photo": PNG, "balance": "12.50",
                 "active": True, "tags": ["vip", "florist"], "prefs": '{"sms": true}'},
                {"id": 2, "name": None, "email": None, "born": None, "joined": None, "seen": None, "photo": None,
                 "balance": None, "active": None, "tags": None, "prefs": None},
            ],
        )
        conn.execute(sa.text("INSERT INTO events VALUES (:w, :a)"), [{"w": "login", "a": 2.0}, {"w": "logout", "a": 0.25}])
        conn.execute(sa.text('INSERT INTO "Mixed Case" VALUES (:e)'), {"e": "mixed@example.com"})
        conn.execute(sa.text("INSERT INTO sales.orders VALUES (:o, :l, :s)"), [{"o": 7, "l": 2, "s": "B"}, {"o": 7, "l": 1, "s": "A"}])
    engine.dispose()
    return postgres_url


@pytest.mark.postgres
def test_postgres_every_schema_keys_types_and_values(shop_postgres):
    found = read_all(shop_postgres)
    assert list(found) == ["Mixed Case", "customers", "events", "sales.orders"]
    columns, rows = found["customers"]
    assert columns == ["id", "name", "email", "born", "joined", "seen", "photo", "balance", "active", "tags", "prefs"]
    assert rows == [
        ("1", "Zoë Ådahl 🌷", "zoe@example.com", "1990-05-01", "2024-01-02T03:04:05", "2024-01-02T03:04:05+00:00",
         None, "12.50", "true", "vip; florist", '{"sms": true}', "id=1"),
        ("2", *[None] * 10, "id=2"),
    ]
    assert found["sales.orders"][1] == [("7", "1", "A", "order_id=7,line=1"), ("7", "2", "B", "order_id=7,line=2")]
    assert found["events"][1] == [("login", "2", "row 1"), ("logout", "0.25", "row 2")]
    assert found["Mixed Case"][1] == [("mixed@example.com", "Email Address=mixed@example.com")]
    (stream,) = iter_tables(shop_postgres, ScanOptions(), tables=["customers"])
    assert stream.column_types["born"] == "date" and stream.column_types["balance"] == "numeric(10, 2)"


@pytest.mark.postgres
def test_postgres_views_only_when_asked_and_tables_by_schema_name(shop_postgres):
    assert "adults" in read_all(shop_postgres, include_views=True)
    assert list(read_all(shop_postgres, tables=["sales.orders", "adults"])) == ["sales.orders", "adults"]
    assert list(read_all(shop_postgres.replace("postgresql+psycopg2://", "postgres://"), tables=["public.events"])) == ["events"]
    with pytest.raises(InputError, match="no table named 'orders2'"):
        read_all(shop_postgres, tables=["orders2"])


@pytest.mark.postgres
def test_postgres_streams_large_tables_in_batches_and_samples(postgres_url):
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT)")
        conn.exec_driver_sql("INSERT INTO t SELECT g, 'user' || g || '@example.com' FROM generate_series(1, 2500) g")
    engine.dispose()
    (stream,) = iter_tables(postgres_url, ScanOptions(batch_size=1000))
    batches = list(stream.batches)
    assert [b.height for b in batches] == [1000, 1000, 500]
    assert batches[-1].row(-1) == ("2500", "user2500@example.com", "id=2500")
    (stream,) = iter_tables(postgres_url, ScanOptions(batch_size=1000, sample_rows=1500, full_text_scan=False))
    assert [b.height for b in stream.batches] == [1000, 500] and stream.sampled


@pytest.mark.postgres
def test_postgres_sessions_are_read_only(shop_postgres):
    engine = POSTGRESQL.engine(sa.make_url(shop_postgres), "test")
    with engine.connect() as conn, pytest.raises(sa.exc.InternalError, match="read-only transaction"):
        conn.exec_driver_sql("DELETE FROM customers")
    engine.dispose()


# --- MariaDB / MySQL -----------------------------------------------------------------------------


@pytest.fixture
def shop_mysql(mysql_url) -> str:
    engine = sa.create_engine(mysql_url)
    with engine.begin() as conn:
        for statement in (
            (
                "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200), born DATE,"
                " joined DATETIME, photo BLOB, note VARBINARY(100), balance DECIMAL(10, 2)) DEFAULT CHARSET=utf8mb4"
            ),
            "CREATE TABLE visits (person_id INT, day DATE, PRIMARY KEY (person_id, day))",
            "CREATE TABLE log (message TEXT) DEFAULT CHARSET=utf8mb4",
            "CREATE VIEW emails AS SELECT email FROM customers",
        ):
            conn.exec_driver_sql(statement)
        conn.execute(
            sa.text("INSERT INTO customers VALUES (:i, :n, :e, :b, :j, :p, :v, :bal)"),
            [
                {"i": 1, "n": "Zoë Ådahl 🌷", "e": "zoe@example.com", "b": "1990-05-01", "j": "2024-01-02 03:04:05",
                 "p": PNG, "v": b"note@example.com", "bal": "12.50"},
                {"i": 2, "n": None, "e": None, "b": None, "j": None, "p": None, "v": None, "bal": None},
            ],
        )
        conn.execute(sa.text("INSERT INTO visits VALUES (:p, :d)"), [{"p": 1, "d": "2024-01-01"}])
        conn.execute(sa.text("INSERT INTO log VALUES (:m)"), [{"m": "one"}, {"m": "two"}])
    engine.dispose()
    return mysql_url


@pytest.mark.mysql
def test_mariadb_tables_keys_and_values(shop_mysql):
    url = shop_mysql.replace("mysql+pymysql://", "mariadb://")
    found = read_all(url)
    assert list(found) == ["customers", "log", "visits"]
    assert found["customers"][1] == [
        ("1", "Zoë Ådahl 🌷", "zoe@example.com", "1990-05-01", "2024-01-02T03:04:05", None, "note@example.com", "12.50", "id=1"),
        ("2", *[None] * 7, "id=2"),
    ]
    assert found["visits"][1] == [("1", "2024-01-01", "person_id=1,day=2024-01-01")]
    assert found["log"][1] == [("one", "row 1"), ("two", "row 2")]
    assert list(read_all(url, include_views=True)) == ["customers", "log", "visits", "emails"]
    with pytest.raises(InputError, match="no table named 'orders'"):
        read_all(url, tables=["orders"])


@pytest.mark.mysql
def test_mariadb_sessions_are_read_only(shop_mysql):
    engine = MYSQL.engine(sa.make_url(shop_mysql), "test")
    with engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="READ ONLY"):
        conn.exec_driver_sql("DELETE FROM log")
    engine.dispose()


@pytest.fixture
def mysql_user(mysql_url):
    """A MariaDB user with a password, allowed to read the test database; dropped afterwards."""
    admin = sa.create_engine(mysql_url, isolation_level="AUTOCOMMIT")
    name = f"gov_{uuid.uuid4().hex[:8]}"
    database = sa.make_url(mysql_url).database
    who = {"user": name, "password": SECRET}
    with admin.connect() as conn:
        for host in ("%", "localhost"):
            conn.execute(sa.text("CREATE USER :user@:host IDENTIFIED BY :password"), {**who, "host": host})
            conn.execute(sa.text(f"GRANT SELECT ON `{database}`.* TO :user@:host"), {**who, "host": host})
        conn.exec_driver_sql("CREATE TABLE t (id INT PRIMARY KEY)")
    try:
        yield sa.make_url(mysql_url).set(username=name, password=SECRET)
    finally:
        with admin.connect() as conn:
            for host in ("%", "localhost"):
                conn.execute(sa.text("DROP USER IF EXISTS :user@:host"), {"user": name, "host": host})
        admin.dispose()


@pytest.mark.mysql
def test_mariadb_wrong_password_is_one_masked_line(mysql_user, caplog):
    caplog.set_level(logging.DEBUG)
    user = mysql_user.set(drivername="mysql")
    assert list(read_all(user.render_as_string(hide_password=False))) == ["t"]
    wrong = user.set(password=SECRET[::-1]).render_as_string(hide_password=False)
    with pytest.raises(InputError) as err:
        read_all(wrong)
    assert err.value.message.startswith(f"cannot connect: Access denied for user '{mysql_user.username}'")
    assert "terces" not in err.value.one_line() and "terces" not in repr(err.value)
    assert_clean(err, mask_url_password(wrong), caplog)


def test_iter_database_can_show_another_name(sqlite_db):
    (stream, *_) = iter_database(f"sqlite:///{sqlite_db}", ScanOptions(), display="crm")
    assert stream.source == "crm"
