"""Finding Debian's Chromium for the browser tests, and the flags it runs with on a closed network.

Without Chromium a browser test skips, unless GOVERNANCE_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import shutil

import pytest

#: headless, no sandbox (root in CI), and none of Chromium's own connections to Google's hosts
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def require(reason: str) -> None:
    """Skip with ``reason``, or fail when GOVERNANCE_REQUIRE_BROWSER=1."""
    if os.environ.get("GOVERNANCE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} — GOVERNANCE_REQUIRE_BROWSER=1 requires it")
    pytest.skip(reason)


def chromium() -> str:
    """The Chromium binary (Debian: apt-get install chromium)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    require("Chromium is not installed (Debian: apt-get install chromium)")
