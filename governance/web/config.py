"""What ``governance serve`` is pointed at, gathered in one object the application reads."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from governance.web.users import officers_file

#: environment variables read by ``governance serve`` (never printed)
ENV_SESSION_SECRET = "GOVERNANCE_SESSION_SECRET"
ENV_SMTP_USER = "GOVERNANCE_SMTP_USER"
ENV_SMTP_PASSWORD = "GOVERNANCE_SMTP_PASSWORD"


@dataclass(frozen=True)
class SmtpConfig:
    """The organisation's outgoing mail server for one-time codes."""

    host: str
    port: int = 25
    sender: str = "privacy@localhost"
    starttls: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events per ``seconds``."""

    count: int
    seconds: int


@dataclass
class WebConfig:
    """The inventory and its ledger, officer accounts, mail server, cookie and abuse settings."""

    inventory: Path
    ledger: str | Path | None = None
    officers: Path | None = None
    smtp: SmtpConfig | None = None
    session_secret: str = field(default_factory=lambda: os.environ.get(ENV_SESSION_SECRET) or secrets.token_hex(32),
                                repr=False)
    secure_cookies: bool = True
    code_ttl_seconds: int = 15 * 60
    code_attempts: int = 5
    form_limit: Limit = Limit(5, 15 * 60)  # privacy-center submissions per client address
    email_limit: Limit = Limit(3, 60 * 60)  # codes sent to one e-mail address
    login_limit: Limit = Limit(5, 5 * 60)  # failed logins per client address
    today: Callable[[], date] = date.today
    now: Callable[[], datetime] = field(default_factory=lambda: (lambda: datetime.now(timezone.utc)))

    @property
    def base_dir(self) -> Path:
        return self.inventory if self.inventory.is_dir() else self.inventory.parent

    @property
    def ledger_location(self) -> str | Path:
        return self.ledger or self.base_dir / ".dsr" / "ledger.db"

    @property
    def officers_path(self) -> Path:
        return self.officers or officers_file(self.base_dir)

    @property
    def runs_dir(self) -> Path:
        """Where check runs are kept (``governance check --format json -o`` reports may be dropped here too)."""
        return self.base_dir / ".dsr" / "runs"

    def request_dir(self, request_id: str) -> Path:
        """Where a request's letters and exports are written."""
        return self.base_dir / ".dsr" / "requests" / request_id
