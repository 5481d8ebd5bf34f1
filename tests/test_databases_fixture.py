"""The database fixtures give each test its own real database."""

import sqlalchemy as sa


def _roundtrip(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, email VARCHAR(100))")
        conn.execute(sa.text("INSERT INTO t (id, email) VALUES (:i, :e)"), {"i": 1, "e": "a@example.com"})
    with engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT COUNT(*) FROM t").scalar_one()
    engine.dispose()
    return count


def test_postgres_database_is_fresh_and_writable(postgres_url):
    assert _roundtrip(postgres_url) == 1


def test_mysql_database_is_fresh_and_writable(mysql_url):
    assert _roundtrip(mysql_url) == 1
