"""The request ledger: every data-subject request, its deadlines and status, and a hash-chained audit log.

Stored in an embedded SQLite database by default (``<inventory dir>/.dsr/ledger.db``)
or in any database SQLAlchemy reaches, e.g. a PostgreSQL URL shared by a team.
Subject identifiers are stored only as HMAC-SHA256 under a secret made when the ledger
is created (kept in the ledger's ``dsr_meta`` table). The audit log is append-only:
each entry stores the previous entry's hash and its own SHA-256 over (previous hash,
timestamp, request id, action, details JSON), so :meth:`Ledger.verify_log` finds any
entry changed, removed or reordered. ``prev_hash`` is unique, so two writers can never
fork the chain; on SQLite, triggers also refuse UPDATE and DELETE of audit rows.
The schema is created inside one transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from governance.dsr.datasets import create_engine
from governance.scan.databases.base import describe_error
from governance.dsr.deadlines import Deadline
from governance.errors import DsrError, InputError
from governance.masking import mask_url_password

GENESIS = "0" * 64
#: statuses of requests that are finished (answered, or withdrawn when the changes were declined)
DONE = ("completed", "withdrawn")
#: what ``dsr list --status`` shows
LISTINGS = ("open", "done", "all")

_metadata = sa.MetaData()
META = sa.Table(
    "dsr_meta", _metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)
REQUESTS = sa.Table(
    "dsr_requests", _metadata,
    sa.Column("request_id", sa.String(64), primary_key=True),
    sa.Column("request_type", sa.String(16), nullable=False),
    sa.Column("jurisdiction", sa.String(32), nullable=False),
    sa.Column("received", sa.Date, nullable=False),
    sa.Column("verification", sa.String(32), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("deadlines", sa.Text, nullable=False),
    sa.Column("subject_hashes", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)
AUDIT = sa.Table(
    "dsr_audit", _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ts", sa.String(40), nullable=False),
    sa.Column("request_id", sa.String(64), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("hash", sa.String(64), nullable=False),
)

_SQLITE_APPEND_ONLY = [
    "CREATE TRIGGER IF NOT EXISTS dsr_audit_no_update BEFORE UPDATE ON dsr_audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS dsr_audit_no_delete BEFORE DELETE ON dsr_audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]


def entry_hash(prev_hash: str, ts: str, request_id: str, action: str, details_json: str) -> str:
    """SHA-256 of one audit entry, chained to the previous entry's hash."""
    payload = json.dumps([prev_hash, ts, request_id, action, details_json], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def canonical_json(details: dict) -> str:
    return json.dumps(details, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class RequestRecord:
    """One request as the ledger holds it."""

    request_id: str
    request_type: str
    jurisdiction: str
    received: date
    verification: str
    status: str
    deadlines: list[Deadline]
    subject_hashes: list[str]

    def deadline(self, kind: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    ts: str
    request_id: str
    action: str
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class LogCheck:
    """Result of recomputing the chain: how many entries were checked and the first broken one."""

    entries: int
    first_broken: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def ledger_url(location: str | Path) -> str:
    """A SQLAlchemy URL for a ledger path (SQLite) or URL."""
    text = str(location)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class Ledger:
    """The request ledger and audit log in one database."""

    def __init__(self, location: str | Path, now: Callable[[], datetime] | None = None):
        self.url = ledger_url(location)
        self.where = mask_url_password(self.url)
        self._now = now or (lambda: datetime.now(timezone.utc))
        try:
            self.engine = create_engine(self.url)
            self._create_schema()
        except sa.exc.SQLAlchemyError as exc:
            raise InputError(f"cannot open the ledger: {describe_error(exc, [])}", where=self.where,
                             hint="check the --ledger URL and that this user may create tables there") from None
        self.secret = bytes.fromhex(self._meta("secret"))

    def _create_schema(self) -> None:
        with self.engine.begin() as conn:
            _metadata.create_all(conn)
            if conn.dialect.name == "sqlite":
                for ddl in _SQLITE_APPEND_ONLY:
                    conn.exec_driver_sql(ddl)
            if conn.execute(sa.select(META.c.value).where(META.c.key == "secret")).first() is None:
                conn.execute(sa.insert(META).values(key="secret", value=secrets.token_hex(32)))

    def _meta(self, key: str) -> str:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(META.c.value).where(META.c.key == key)).scalar_one()

    def close(self) -> None:
        self.engine.dispose()

    def _timestamp(self) -> str:
        return self._now().astimezone(timezone.utc).isoformat(timespec="microseconds")

    # requests ---------------------------------------------------------------
    @staticmethod
    def _record(row) -> RequestRecord:
        deadlines = [Deadline(d["kind"], date.fromisoformat(d["due"]), d["basis"]) for d in json.loads(row.deadlines)]
        received = row.received if isinstance(row.received, date) else date.fromisoformat(str(row.received))
        return RequestRecord(row.request_id, row.request_type, row.jurisdiction, received, row.verification,
                             row.status, deadlines, json.loads(row.subject_hashes))

    def get(self, request_id: str) -> RequestRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(REQUESTS).where(REQUESTS.c.request_id == request_id)).first()
        return self._record(row) if row else None

    def record_request(self, record: RequestRecord) -> bool:
        """Store a new request and log it; return False when the id is already recorded (same type required)."""
        existing = self.get(record.request_id)
        if existing is not None:
            if existing.request_type != record.request_type:
                raise DsrError(f"request {record.request_id} is already recorded as a {existing.request_type} request",
                               where=self.where, hint="use another --request-id")
            return False
        ts = self._timestamp()
        deadlines = [{"kind": d.kind, "due": d.due.isoformat(), "basis": d.basis} for d in record.deadlines]
        with self.engine.begin() as conn:
            conn.execute(sa.insert(REQUESTS).values(
                request_id=record.request_id, request_type=record.request_type, jurisdiction=record.jurisdiction,
                received=record.received, verification=record.verification, status=record.status,
                deadlines=json.dumps(deadlines), subject_hashes=json.dumps(record.subject_hashes),
                created_at=ts, updated_at=ts))
        self.append(record.request_id, "received", {
            "type": record.request_type, "jurisdiction": record.jurisdiction,
            "received": record.received.isoformat(), "verification": record.verification,
            "deadlines": deadlines, "subject_hashes": record.subject_hashes})
        return True

    def set_status(self, request_id: str, status: str, details: dict | None = None) -> None:
        """Change a request's status and log the change."""
        with self.engine.begin() as conn:
            conn.execute(sa.update(REQUESTS).where(REQUESTS.c.request_id == request_id)
                         .values(status=status, updated_at=self._timestamp()))
        self.append(request_id, f"status:{status}", details or {})

    def mark_verified(self, request_id: str) -> None:
        """Record that the requester's identity has now been verified."""
        with self.engine.begin() as conn:
            conn.execute(sa.update(REQUESTS).where(REQUESTS.c.request_id == request_id)
                         .values(verification="verified", updated_at=self._timestamp()))
        self.append(request_id, "identity_verified", {})

    def requests(self, open_only: bool = True, status: str | None = None) -> list[RequestRecord]:
        """Requests by receipt date: ``status`` ``open`` (the default with ``open_only``), ``done`` or ``all``."""
        status = status or ("open" if open_only else "all")
        if status not in LISTINGS:
            raise DsrError(f"unknown request listing '{status}'", where="--status", hint=f"use {'|'.join(LISTINGS)}")
        query = sa.select(REQUESTS).order_by(REQUESTS.c.received, REQUESTS.c.request_id)
        if status == "open":
            query = query.where(REQUESTS.c.status.not_in(DONE))
        elif status == "done":
            query = query.where(REQUESTS.c.status.in_(DONE))
        with self.engine.connect() as conn:
            return [self._record(r) for r in conn.execute(query)]

    # audit log ----------------------------------------------------------------
    def append(self, request_id: str, action: str, details: dict) -> AuditEntry:
        """Append one entry to the audit log, chained to the last one."""
        body = canonical_json(details)
        for _attempt in range(5):
            ts = self._timestamp()
            try:
                with self.engine.begin() as conn:
                    last = conn.execute(sa.select(AUDIT.c.hash).order_by(AUDIT.c.seq.desc()).limit(1)).scalar()
                    prev = last or GENESIS
                    digest = entry_hash(prev, ts, request_id, action, body)
                    seq = conn.execute(sa.insert(AUDIT).values(ts=ts, request_id=request_id, action=action,
                                                               details=body, prev_hash=prev, hash=digest)
                                       ).inserted_primary_key[0]
                return AuditEntry(seq, ts, request_id, action, body, prev, digest)
            except sa.exc.IntegrityError:
                continue  # another writer appended first; chain to its entry
        raise DsrError("could not append to the audit log (too many concurrent writers)", where=self.where,
                       hint="run the request again")

    def entries(self, request_id: str | None = None) -> list[AuditEntry]:
        query = sa.select(AUDIT).order_by(AUDIT.c.seq)
        if request_id is not None:
            query = query.where(AUDIT.c.request_id == request_id)
        with self.engine.connect() as conn:
            return [AuditEntry(r.seq, r.ts, r.request_id, r.action, r.details, r.prev_hash, r.hash)
                    for r in conn.execute(query)]

    def verify_log(self) -> LogCheck:
        """Recompute the chain; report the first entry whose link or contents do not match."""
        prev = GENESIS
        count = 0
        for entry in self.entries():
            count += 1
            if entry.prev_hash != prev:
                return LogCheck(count, entry.seq, "its previous-hash link does not match the entry before it "
                                                  "(an entry was removed, inserted or reordered)")
            if entry_hash(entry.prev_hash, entry.ts, entry.request_id, entry.action, entry.details) != entry.hash:
                return LogCheck(count, entry.seq, "its contents do not match its hash (the entry was changed)")
            prev = entry.hash
        return LogCheck(count)
