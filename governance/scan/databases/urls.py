"""Every database URL a user writes, turned into the URL and engine we use: one place for drivers and passwords.

``scan``, ``init``, ``check``, every ``dsr`` command and the ledger open databases
through :func:`parse_database_url` and :func:`open_engine`:

- a plain ``postgresql://``/``postgres://`` URL uses psycopg2 and ``mysql://``/``mariadb://``
  uses PyMySQL (both installed with governance), whatever SQLAlchemy's own default is;
  ``postgresql+psycopg://`` and other explicit drivers are honoured when installed;
- the password need not be typed into the URL: leave it out and set
  ``GOVERNANCE_DB_PASSWORD`` or ``GOVERNANCE_DB_PASSWORD_FILE`` (a file holding it), or
  add ``?password_env=NAME`` / ``?password_file=PATH`` to one URL; PostgreSQL's own
  ``PGPASSWORD`` and ``~/.pgpass`` work too;
- a password typed into the URL may hold ``#``, ``@`` or ``/`` unencoded, and is masked
  (with ``?password=``-style query parameters) wherever the URL is shown.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import sqlalchemy as sa

from governance.errors import InputError
from governance.masking import HOST_PORT, SECRET_PARAMETER, mask_url_password, split_userinfo
from governance.scan.databases.base import CONNECT_ERRORS, describe_error

PASSWORD_ENV = "GOVERNANCE_DB_PASSWORD"
PASSWORD_FILE_ENV = "GOVERNANCE_DB_PASSWORD_FILE"
#: query parameters of ours, removed before the URL reaches the driver
OWN_PARAMETERS = ("password_env", "password_file")

#: URL scheme -> the driver a plain URL gets
DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg2",
    "postgres": "postgresql+psycopg2",
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
    "sqlite": "sqlite+pysqlite",
}
#: SQLAlchemy driver name -> the package that provides it (for the "install it" hint)
DRIVER_PACKAGES = {
    "psycopg2": "psycopg2-binary",
    "psycopg": "psycopg[binary]",
    "pg8000": "pg8000",
    "asyncpg": "asyncpg",
    "pymysql": "pymysql",
    "mysqldb": "mysqlclient",
    "mysqlconnector": "mysql-connector-python",
    "mariadbconnector": "mariadb",
    "pysqlite": "(part of Python)",
}

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9]*)(?:\+([A-Za-z0-9_]+))?://(.*)$", re.S)


@dataclass(frozen=True)
class DatabaseURL:
    """A database URL as we open it: our driver, the password filled in, and how to show it."""

    url: sa.URL
    display: str
    #: the scheme as written (``postgres``, ``mariadb``...), which names the dialect
    scheme: str

    @property
    def secrets(self) -> list[str]:
        """What no message may show: the password, as typed and percent-encoded."""
        found = [self.url.password] + [str(v) for k, v in self.url.query.items() if SECRET_PARAMETER.fullmatch(k)]
        return [s for s in found if s]

    def describe(self, exc: BaseException) -> str:
        """A driver error in one line, with the password removed."""
        return describe_error(exc, self.secrets)


def parse_database_url(text: str) -> DatabaseURL:
    """The URL we open for ``text``; :class:`InputError` (password masked) for anything unusable."""
    where = mask_url_password(text)
    match = _SCHEME.match(text.strip())
    if not match:
        raise InputError("not a valid database URL", where=where, hint="e.g. postgresql://user@host:5432/db")
    scheme, driver, rest = match[1].lower(), match[2], match[3]
    if scheme not in DEFAULT_DRIVERS:
        from governance.scan.databases import registry

        if scheme not in registry():
            supported = ", ".join(sorted(registry()))
            raise InputError(f"unsupported database type '{scheme}'", where=where, hint=f"supported: {supported}")
    userinfo, rest = split_userinfo(rest)
    username = password = None
    if userinfo is not None:
        user, colon, secret = userinfo.partition(":")
        username, password = unquote(user) or None, (unquote(secret) if colon else None)
    hostport = HOST_PORT.match(rest)
    if hostport is None:
        raise InputError("not a valid database URL: cannot tell the host", where=where,
                         hint="percent-encode special characters in the password (@ is %40, # is %23)")
    host, port = hostport[1].strip("[]") or None, hostport[2]
    rest = rest[hostport.end():]
    path, _, query_text = rest.partition("?")
    query = dict(parse_qsl(query_text, keep_blank_values=True))
    if port:
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise InputError("the port is not a number from 1 to 65535", where=where,
                             hint="write host:5432, or leave the port out for the default")
    password = password or _password_from(query, where, scheme)
    for name in OWN_PARAMETERS:
        query.pop(name, None)
    drivername = f"{scheme}+{driver}" if driver else _default_driver(scheme)
    url = sa.URL.create(drivername, username=username, password=password, host=host,
                        port=int(port) if port else None, database=unquote(path[1:]) if path else None, query=query)
    _check_driver(url, where)
    _check_options(url, where)
    return DatabaseURL(url, where, scheme)


def _default_driver(scheme: str) -> str:
    if scheme in DEFAULT_DRIVERS:
        return DEFAULT_DRIVERS[scheme]
    from governance.scan.databases import registry

    return registry()[scheme].driver


def _password_from(query: dict[str, str], where: str, scheme: str) -> str | None:
    """A password not typed into the URL: from the URL's ``password_env``/``password_file`` or the environment."""
    if scheme == "sqlite":
        return None
    if name := query.get("password_env"):
        if name not in os.environ:
            raise InputError(f"the environment variable {name} (password_env) is not set", where=where,
                             hint=f"export {name}=... before running, or remove password_env from the URL")
        return os.environ[name]
    file = query.get("password_file") or os.environ.get(PASSWORD_FILE_ENV)
    if file:
        try:
            return Path(file).expanduser().read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the password file {file}: {getattr(exc, 'strerror', None) or exc}",
                             where=where, hint="check the path and that you may read it") from None
    return os.environ.get(PASSWORD_ENV) or None


def _check_driver(url: sa.URL, where: str) -> None:
    """The driver exists and is installed, else one line naming the package to install."""
    name = url.get_driver_name()
    try:
        url.get_dialect().import_dbapi()
    except sa.exc.NoSuchModuleError:
        raise InputError(f"unknown database driver '{url.drivername}'", where=where,
                         hint=f"leave the driver out ({url.get_backend_name()}://...) to use the built-in one") from None
    except ImportError:
        package = DRIVER_PACKAGES.get(name, name)
        raise InputError(f"the database driver '{name}' is not installed", where=where,
                         hint=f"pip install {package}, or leave '+{name}' out of the URL to use the built-in driver") from None


def _check_options(url: sa.URL, where: str) -> None:
    """Options the driver would only reject with a traceback at connect time."""
    if url.get_driver_name() == "pymysql" and "charset" in url.query:
        from pymysql.charset import charset_by_name

        try:
            known = charset_by_name(str(url.query["charset"])) is not None
        except KeyError:
            known = False
        if not known:
            raise InputError(f"unknown character set '{url.query['charset']}' (charset)", where=where,
                             hint="use charset=utf8mb4, or leave it out")


def open_engine(db: DatabaseURL, *, connect_args: dict | None = None, check: bool = True,
                hint: str = "check that the server is running and the URL, user and password are right") -> sa.Engine:
    """An engine for ``db``; with ``check``, one connection is made now so a bad URL fails as one line."""
    try:
        engine = sa.create_engine(db.url, connect_args=dict(connect_args or {}))
    except CONNECT_ERRORS as exc:
        raise InputError(f"cannot open the database: {db.describe(exc)}", where=db.display) from None
    if check:
        try:
            with engine.connect():
                pass
        except CONNECT_ERRORS as exc:
            engine.dispose()
            raise InputError(f"cannot connect: {db.describe(exc)}", where=db.display, hint=hint) from None
    return engine
