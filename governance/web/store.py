"""What the privacy center keeps beside the ledger, in the ledger's own database.

``web_pending``: a submission waiting for its one-time code. The code is stored only as
HMAC-SHA256 under the ledger's secret; the row expires, counts wrong attempts and is
deleted when the code is confirmed, expires or is tried too often.
``web_contacts``: the requester's identifiers, language and note, kept only until the
request is completed (the ledger itself holds the identifiers hashed), because the
officer's approval runs the request with them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from governance.dsr.ledger import Ledger

_metadata = sa.MetaData()
PENDING = sa.Table(
    "web_pending", _metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("payload", sa.Text, nullable=False),
)
CONTACTS = sa.Table(
    "web_contacts", _metadata,
    sa.Column("request_id", sa.String(64), primary_key=True),
    sa.Column("identifiers", sa.Text, nullable=False),
    sa.Column("lang", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
)

CODE_DIGITS = 6


@dataclass(frozen=True)
class Submission:
    """What a person asked for on the privacy center form."""

    request_type: str
    jurisdiction: str
    email: str
    lang: str
    note: str = ""


@dataclass(frozen=True)
class Contact:
    request_id: str
    identifiers: list[str]
    lang: str
    note: str


class CodeCheck:
    """Outcomes of :meth:`WebStore.confirm`."""

    OK, WRONG, EXPIRED, UNKNOWN = "ok", "wrong", "expired", "unknown"


class WebStore:
    """The privacy center's tables in the ledger database."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        with ledger.engine.begin() as conn:
            _metadata.create_all(conn)

    def _hash(self, token: str, code: str) -> str:
        return hmac.new(self.ledger.secret, f"{token}:{code}".encode(), hashlib.sha256).hexdigest()

    def start(self, submission: Submission, now: datetime, ttl_seconds: int) -> tuple[str, str]:
        """Keep ``submission`` until confirmed; return (token for the URL, code for the e-mail)."""
        token = secrets.token_urlsafe(24)
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        payload = json.dumps(submission.__dict__, ensure_ascii=False)
        with self.ledger.engine.begin() as conn:
            conn.execute(sa.delete(PENDING).where(PENDING.c.expires_at < now.isoformat()))
            conn.execute(sa.insert(PENDING).values(token=token, code_hash=self._hash(token, code), attempts=0,
                                                   expires_at=(now + timedelta(seconds=ttl_seconds)).isoformat(),
                                                   payload=payload))
        return token, code

    def exists(self, token: str, now: datetime) -> bool:
        with self.ledger.engine.connect() as conn:
            row = conn.execute(sa.select(PENDING.c.expires_at).where(PENDING.c.token == token)).first()
        return row is not None and row.expires_at >= now.isoformat()

    def confirm(self, token: str, code: str, now: datetime, max_attempts: int) -> tuple[str, Submission | None]:
        """Check ``code``; on success the pending row is removed and its submission returned."""
        with self.ledger.engine.begin() as conn:
            row = conn.execute(sa.select(PENDING).where(PENDING.c.token == token)).first()
            if row is None:
                return CodeCheck.UNKNOWN, None
            if row.expires_at < now.isoformat() or row.attempts >= max_attempts:
                conn.execute(sa.delete(PENDING).where(PENDING.c.token == token))
                return CodeCheck.EXPIRED, None
            if not hmac.compare_digest(row.code_hash, self._hash(token, code.strip())):
                attempts = row.attempts + 1
                if attempts >= max_attempts:
                    conn.execute(sa.delete(PENDING).where(PENDING.c.token == token))
                    return CodeCheck.EXPIRED, None
                conn.execute(sa.update(PENDING).where(PENDING.c.token == token).values(attempts=attempts))
                return CodeCheck.WRONG, None
            conn.execute(sa.delete(PENDING).where(PENDING.c.token == token))
        return CodeCheck.OK, Submission(**json.loads(row.payload))

    def keep_contact(self, contact: Contact) -> None:
        with self.ledger.engine.begin() as conn:
            conn.execute(sa.insert(CONTACTS).values(request_id=contact.request_id, lang=contact.lang, note=contact.note,
                                                    identifiers=json.dumps(contact.identifiers, ensure_ascii=False)))

    def contact(self, request_id: str) -> Contact | None:
        with self.ledger.engine.connect() as conn:
            row = conn.execute(sa.select(CONTACTS).where(CONTACTS.c.request_id == request_id)).first()
        return Contact(row.request_id, json.loads(row.identifiers), row.lang, row.note) if row else None

    def forget_contact(self, request_id: str) -> None:
        """Drop a completed request's identifiers (the ledger keeps only their hashes)."""
        with self.ledger.engine.begin() as conn:
            conn.execute(sa.delete(CONTACTS).where(CONTACTS.c.request_id == request_id))
