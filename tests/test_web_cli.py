"""`governance serve` as a user starts it: the console entry point in a new process, on the bundled example."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from web_support import free_port, start_sink

from governance.cli import cli


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_serve_starts_on_loopback_over_the_bundled_example(runner, repo, tmp_path):
    example = tmp_path / "example"
    shutil.copytree(repo / "policies" / "example", example, ignore=shutil.ignore_patterns(".dsr"))
    added = runner.invoke(cli, ["users", "add", "olivia", "--inventory", str(example)],
                          input="a long enough secret\na long enough secret\n")
    assert added.exit_code == 0, added.output
    controller, sink = start_sink()
    port = free_port()
    env = {**os.environ, "GOVERNANCE_SESSION_SECRET": "s3cr3t-not-printed", "GOVERNANCE_SMTP_PASSWORD": "pw-not-printed"}
    proc = subprocess.Popen([sys.executable, "-c", "from governance.cli import main; main()", "serve",
                             "--inventory", str(example), "--port", str(port),
                             "--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port)],
                            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, html = _get(f"http://127.0.0.1:{port}/privacy-center?lang=vi")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.2)
        assert status == 200 and "Corner Bloom" in html and 'lang="vi"' in html
        assert _get(f"http://127.0.0.1:{port}/requests")[1].count("Officer login") == 1  # redirected to the login
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
        controller.stop()
    assert f"http://127.0.0.1:{port}/" in err
    assert "s3cr3t" not in out + err and "pw-not-printed" not in out + err


def test_serve_help_documents_the_defaults(runner):
    r = runner.invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0
    text = " ".join(r.output.split())
    assert "[default: 127.0.0.1]" in text and "Port to listen on. [default: 8000;" in text and "/privacy-center" in text
