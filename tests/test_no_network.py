"""A full scan with NER opens no socket: no model download, no public-suffix list fetch."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import socket, sys
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled by test_no_network")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    sys.path.insert(0, sys.argv[1])
    import polars as pl
    from governance.scan.engine import TableScanner
    from governance.scan.options import ScanOptions
    from synthetic_tables import stream_of

    frame = pl.DataFrame({
        "c01": ["Jane Smith", "Robert Brown", "Maria Garcia", "Wei Chen", "Aisha Khan", "Tom Baker",
                "Laura Johnson", "David Miller", "Sofia Rossi", "James Wilson", "Emily Davis", "Carlos Lopez",
                "Anna Schmidt", "Peter Novak", "Grace Lee"] * 2,
        "c02": [f"user{i}@example.co.uk" for i in range(30)],
        "c03": [f"https://www.example.org/people/{i}" for i in range(30)],
        "notes": [f"Spoke with Jane Smith, mail jane{i}@example.com or see https://example.com/{i}" for i in range(30)],
    })
    outcome = TableScanner(ScanOptions(ner=True)).scan(stream_of(frame))
    found = sorted((f.column, f.kind, f.entity) for f in outcome.findings)
    print(found)
    assert ("c02", "column", "EMAIL_ADDRESS") in found, found
    assert ("c03", "column", "URL") in found, found
    assert ("c01", "column", "PERSON") in found, found
    assert ("notes", "leak", "EMAIL_ADDRESS") in found, found
    assert not attempts, attempts
    print("no socket")
    """
)


@pytest.mark.nlp
def test_scan_with_ner_opens_no_socket():
    """Run in a fresh interpreter so spaCy, Presidio and tldextract all load under the guard."""
    tests_dir = Path(__file__).resolve().parent
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tests_dir)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no socket" in result.stdout
