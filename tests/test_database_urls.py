"""Every command opens the same database URLs: plain schemes, explicit drivers, passwords kept out of sight."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from dsr_shop import build_shop
from hypothesis import given
from hypothesis import strategies as st

from governance.cli import cli
from governance.errors import InputError
from governance.masking import mask_url_password
from governance.scan.databases.urls import PASSWORD_ENV, PASSWORD_FILE_ENV, parse_database_url

SECRET = "S3cr#t@pa/ss"


@pytest.mark.parametrize(("url", "password"), [
    ("postgresql://bob:s3cr3t@db.internal:5432/shop", "s3cr3t"),
    ("postgresql://bob:p@ss#w/rd@db:5432/shop", "p@ss#w/rd"),
    ("mysql://root:a%40b@127.0.0.1/shop", "a@b"),
    ("postgresql://u:p?ss@h/db", "p?ss"),
    ("postgresql://h/db?x=a@b", None),
    ("mariadb://root@127.0.0.1:3306/shop", None),
])
def test_the_password_is_read_whole_and_masked(url, password):
    db = parse_database_url(url)
    assert db.url.password == password
    if password:
        assert password not in db.display and password not in mask_url_password(url)
        assert db.secrets == [password]


@pytest.mark.parametrize("url", [
    "mysql://root@127.0.0.1/shop?password=hunter22",
    "postgresql://bob@db/shop?sslmode=require&sslpassword=hunter22",
    "postgresql://bob@db/shop?PASSWORD=hunter22&application_name=x",
])
def test_password_query_parameters_are_masked(url):
    assert "hunter22" not in mask_url_password(url)
    assert "hunter22" in parse_database_url(url).secrets


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs"), blacklist_characters="%"),
               min_size=4, max_size=30))
def test_any_typed_password_is_parsed_and_never_shown(password):
    url = f"postgresql://bob:{password}@db.example.org:5432/shop"
    db = parse_database_url(url)
    assert db.url.password == password
    assert db.display == "postgresql://bob:***@db.example.org:5432/shop"


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://bob@db:5432/shop", "postgresql+psycopg2"),
    ("postgres://bob@db/shop", "postgresql+psycopg2"),
    ("mysql://root@db/shop", "mysql+pymysql"),
    ("mariadb://root@db/shop", "mysql+pymysql"),
    ("sqlite:///shop.db", "sqlite+pysqlite"),
    ("mysql+pymysql://root@db/shop", "mysql+pymysql"),
])
def test_plain_urls_get_the_installed_drivers(url, expected):
    assert parse_database_url(url).url.drivername == expected


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://bob:pw@db:abc/shop", "the port is not a number"),
    ("postgresql://bob:pw@db:99999/shop", "the port is not a number"),
    ("mysql://root:pw@db/shop?charset=nope", "unknown character set 'nope'"),
    ("postgresql+psycopg://bob:pw@db/shop", "'psycopg' is not installed (pip install psycopg[binary]"),
    ("postgresql+nosuch://bob:pw@db/shop", "unknown database driver"),
    ("oracle://bob:pw@db/shop", "unsupported database type 'oracle'"),
])
def test_bad_url_fields_are_one_line_without_the_password(url, message):
    with pytest.raises(InputError) as caught:
        parse_database_url(url)
    assert message in caught.value.one_line()
    assert ":pw@" not in caught.value.one_line()


def test_password_from_the_environment_or_a_file(monkeypatch, tmp_path):
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert parse_database_url("postgresql://bob@db/shop").url.password == "from-env"
    assert parse_database_url("postgresql://bob:typed@db/shop").url.password == "typed"
    secret = tmp_path / "pw"
    secret.write_text("from-file\n")
    monkeypatch.setenv(PASSWORD_FILE_ENV, str(secret))
    assert parse_database_url("postgresql://bob@db/shop").url.password == "from-file"
    monkeypatch.setenv("CRM_PW", "per-url")
    db = parse_database_url("postgresql://bob@db/shop?password_env=CRM_PW&sslmode=disable")
    assert db.url.password == "per-url" and dict(db.url.query) == {"sslmode": "disable"}
    with pytest.raises(InputError, match="CRM_MISSING"):
        parse_database_url("postgresql://bob@db/shop?password_env=CRM_MISSING")
    with pytest.raises(InputError, match="cannot read the password file"):
        parse_database_url(f"postgresql://bob@db/shop?password_file={tmp_path / 'absent'}")


# --- every command, each plain URL form, the real servers -----------------------------------------

def _plain(url: str, scheme: str) -> str:
    return scheme + "://" + url.split("://", 1)[1]


@pytest.fixture(params=[pytest.param(("postgres", "postgresql"), marks=pytest.mark.postgres),
                        pytest.param(("postgres", "postgres"), marks=pytest.mark.postgres),
                        pytest.param(("mysql", "mysql"), marks=pytest.mark.mysql),
                        pytest.param(("mysql", "mariadb"), marks=pytest.mark.mysql),
                        ("sqlite", "sqlite")], ids=lambda p: p[1])
def shop(request, tmp_path):
    """(shop directory, inventory, the database URL as a user writes it: plain scheme)."""
    server, scheme = request.param
    url = None if server == "sqlite" else request.getfixturevalue(f"{server}_url")
    inventory = build_shop(tmp_path / "shop", url)
    url = url or f"sqlite:///{tmp_path / 'shop' / 'shop.db'}"
    plain = _plain(url, scheme)
    inventory.write_text(inventory.read_text().replace(url, plain))
    return tmp_path / "shop", inventory, plain


def _run(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output and not isinstance(result.exception, (ImportError, AttributeError)), \
        result.output
    return result


def test_every_command_opens_the_plain_url(shop, runner, tmp_path):
    directory, inventory, url = shop
    scanned = _run(runner, "scan", url, "--no-ner", "--fail-on", "none", "--format", "json")
    assert scanned.exit_code == 0, scanned.output
    assert '"customers"' in scanned.output

    started = _run(runner, "init", url, "--no-ner", "-o", tmp_path / "init" / "inventory.yaml")
    assert started.exit_code == 0, started.output
    assert "customers" in (tmp_path / "init" / "inventory.yaml").read_text()

    checked = _run(runner, "check", "--inventory", inventory, "--no-ner", "--format", "json")
    assert checked.exit_code in (0, 1), checked.output

    ledger = url if not url.startswith("sqlite") else tmp_path / "ledger.db"
    common = ["--inventory", inventory, "--ledger", ledger, "--output-dir", tmp_path / "out",
              "--subject", "email=cara.doe@example.com"]
    access = _run(runner, "dsr", "access", *common)
    assert access.exit_code == 0, access.output
    assert "Cara" in (tmp_path / "out" / "customers.json").read_text()
    planned = _run(runner, "dsr", "delete", *common, "--dry-run")
    assert planned.exit_code == 0, planned.output
    waiting = _run(runner, "dsr", "access", *common, "--verification", "unverified", "--request-id", "R-WAIT")
    assert waiting.exit_code == 0, waiting.output
    listed = _run(runner, "dsr", "list", "--inventory", inventory, "--ledger", ledger)
    assert listed.exit_code == 0 and "R-WAIT" in listed.output, listed.output
    verified = _run(runner, "dsr", "verify-log", "--inventory", inventory, "--ledger", ledger)
    assert verified.exit_code == 0, verified.output


@pytest.mark.postgres
def test_a_password_is_never_shown_for_any_url_form(postgres_url, runner, tmp_path):
    """A wrong password against the real server: the error line names the database, never the password."""
    base = sa.engine.make_url(postgres_url)
    forms = [
        f"postgresql://postgres:{SECRET}@127.0.0.1:1/{base.database}",
        f"postgresql://postgres@127.0.0.1:1/{base.database}?password={SECRET}",
        f"postgresql://postgres@127.0.0.1:1/{base.database}?sslpassword={SECRET}",
    ]
    for url in forms:
        for args in (["scan", url, "--no-ner"], ["init", url, "--no-ner", "-o", tmp_path / "i.yaml"],
                     ["dsr", "list", "--inventory", tmp_path, "--ledger", url]):
            result = runner.invoke(cli, [str(a) for a in args])
            assert result.exit_code == 2, result.output
            assert SECRET not in result.output and "S3cr" not in result.output
            assert "Traceback" not in result.output


def test_bad_url_is_one_line_and_exit_2_in_every_command(runner, tmp_path):
    url = "mysql://root:hunter22@127.0.0.1:3306/shop?charset=nope"
    for args in (["scan", url, "--no-ner"], ["init", url, "--no-ner", "-o", tmp_path / "i.yaml"],
                 ["dsr", "list", "--inventory", tmp_path, "--ledger", url]):
        result = runner.invoke(cli, [str(a) for a in args])
        assert result.exit_code == 2, result.output
        assert "unknown character set 'nope'" in result.output
        assert "hunter22" not in result.output and "Traceback" not in result.output


# --- statement timeout ------------------------------------------------------------------------------

def _slow_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE fast (id INTEGER PRIMARY KEY, email TEXT)")
    conn.execute("INSERT INTO fast VALUES (1, 'ann@example.com')")
    # a view whose rows take long to compute: a recursive CTE of many million steps
    conn.execute("CREATE VIEW slow AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                 "WHERE i < 2000000000) SELECT max(i) AS total FROM n")
    conn.commit()
    conn.close()


def test_a_slow_table_is_that_tables_error_and_the_others_are_read(runner, tmp_path):
    _slow_sqlite(tmp_path / "slow.db")
    result = runner.invoke(cli, ["scan", f"sqlite:///{tmp_path / 'slow.db'}", "--include-views", "--no-ner",
                                 "--statement-timeout", "3", "--fail-on", "none", "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "reading table slow stopped after the statement timeout of 3 s" in result.output
    assert '"fast"' in result.output


@pytest.mark.parametrize(("server", "scheme", "sleep"), [
    pytest.param("postgres", "postgresql", "pg_sleep(30)::text", marks=pytest.mark.postgres),
    pytest.param("mysql", "mariadb", "SLEEP(30)", marks=pytest.mark.mysql),
])
def test_the_server_stops_a_slow_statement(request, runner, server, scheme, sleep):
    url = request.getfixturevalue(f"{server}_url")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE fast (id int primary key, email text)")
        conn.exec_driver_sql("INSERT INTO fast VALUES (1, 'ann@example.com')")
        conn.exec_driver_sql(f"CREATE VIEW slow AS SELECT {sleep} AS waited")
    engine.dispose()
    result = runner.invoke(cli, ["scan", _plain(url, scheme), "--include-views", "--no-ner",
                                 "--statement-timeout", "1", "--fail-on", "none", "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "reading table slow stopped after the statement timeout of 1 s" in result.output
    assert '"fast"' in result.output
