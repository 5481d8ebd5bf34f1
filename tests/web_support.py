"""The workspace the web tests run on: the DSR shop, one officer, a local SMTP sink (aiosmtpd) and the app."""

from __future__ import annotations

import json
import re
import socket
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from dsr_shop import build_shop

from governance.web.app import create_app
from governance.web.config import SmtpConfig, WebConfig
from governance.web.users import add_officer

OFFICER, PASSWORD = "olivia", "correct horse battery staple"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")


class Sink:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def code_for(self, address: str) -> str:
        """The one-time code in the latest message to ``address``."""
        message = next(m for m in reversed(self.messages) if m["To"] == address)
        return CODE.search(message.get_content())[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sink() -> tuple[Controller, Sink]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, sink


def workspace(directory: Path, smtp_port: int | None, **overrides) -> WebConfig:
    """The shop inventory with an officer account, configured to mail codes to the sink on ``smtp_port``."""
    inventory = build_shop(directory)
    # Cara's telephone number is also on a purchased prospects list that her e-mail address does not reach;
    # the erasure check rightly reports that row (tests/test_dsr_*). The web flow starts from the e-mail
    # address the customer proved, so its shop leaves her off that list.
    prospects = directory / "prospects.json"
    rows = [r for r in json.loads(prospects.read_text(encoding="utf-8")) if r["name"] != "Cara Doe"]
    prospects.write_text(json.dumps(rows), encoding="utf-8")
    officers = directory / ".dsr" / "officers.yaml"
    add_officer(officers, OFFICER, PASSWORD)
    smtp = SmtpConfig("127.0.0.1", smtp_port, "privacy@shop.example") if smtp_port else None
    return WebConfig(inventory=inventory, officers=officers, smtp=smtp, **overrides)


def csrf_of(html: str) -> str:
    return CSRF.search(html)[1]


__all__ = ["OFFICER", "PASSWORD", "Sink", "create_app", "csrf_of", "free_port", "start_sink", "workspace"]
