"""Shared fixtures: the CLI runner, fixture paths, and real PostgreSQL/MariaDB databases.

Database tests create and drop their own database. Without a server they skip with
the reason; with GOVERNANCE_REQUIRE_DATABASES=1 (set by .ci/run) a missing server fails.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

POSTGRES_ADMIN_URL = os.environ.get("GOVERNANCE_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
MYSQL_ADMIN_URL = os.environ.get("GOVERNANCE_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/mysql")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def repo() -> Path:
    return REPO


def _unavailable(what: str, exc: Exception):
    reason = f"{what} server not reachable ({exc.__class__.__name__}); set {what.upper()} URL or start the server"
    if os.environ.get("GOVERNANCE_REQUIRE_DATABASES") == "1":
        pytest.fail(f"{reason} — GOVERNANCE_REQUIRE_DATABASES=1 requires it")
    pytest.skip(reason)


def _database(admin_url: str, what: str, quote: str):
    import sqlalchemy as sa

    name = f"gov_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quote}{name}{quote}")
    except Exception as exc:  # any driver or connection error means: no server here
        _unavailable(what, exc)
    url = admin.url.set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        sa.engine.Engine.dispose(admin)
        with admin.connect() as conn:
            if what == "postgres":
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %(n)s", {"n": name}
                )
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote}{name}{quote}")
        admin.dispose()


@pytest.fixture
def postgres_url():
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    yield from _database(POSTGRES_ADMIN_URL, "postgres", '"')


@pytest.fixture
def mysql_url():
    """URL of a fresh, empty MariaDB/MySQL database, dropped after the test."""
    yield from _database(MYSQL_ADMIN_URL, "mysql", "`")
