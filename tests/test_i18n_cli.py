"""``--lang`` on the command line: an unknown language is one error line, exit 2, listing the languages there are."""

from __future__ import annotations

import pytest

from governance.cli import cli

EXPECTED = "error: --lang: unknown language 'xx' (available languages: en, fa, vi)\n"


def _commands(tmp_path):
    inventory = "policies/example"
    request = ["--subject", "email=brenda.obrien1@gmail.com", "--inventory", inventory,
               "--ledger", str(tmp_path / "ledger.db"), "--output-dir", str(tmp_path / "out")]
    return {
        "policy render": ["policy", "render", "--inventory", inventory],
        "policy render html": ["policy", "render", "--inventory", inventory, "--format", "html",
                               "--output", str(tmp_path / "policy.html")],
        "policy check": ["policy", "check", "--inventory", inventory],
        "dsr access": ["dsr", "access", *request],
        "dsr delete": ["dsr", "delete", *request, "--dry-run"],
        "dsr correct": ["dsr", "correct", *request, "--set", "customers.phone=+1 217 555 0100"],
        "dsr opt-out": ["dsr", "opt-out", *request],
    }


@pytest.mark.parametrize("command", ["policy render", "policy render html", "policy check", "dsr access", "dsr delete",
                                     "dsr correct", "dsr opt-out"])
def test_unknown_language_is_one_error_line_with_exit_2(runner, repo, tmp_path, monkeypatch, command):
    monkeypatch.chdir(repo)
    args = _commands(tmp_path)[command] + ["--lang", "xx"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == EXPECTED
    assert not (tmp_path / "ledger.db").exists() and not (tmp_path / "out").exists()  # nothing recorded or written
    assert not (tmp_path / "policy.html").exists()


@pytest.mark.parametrize("lang", ["fa", "vi"])
def test_known_languages_are_accepted(runner, repo, monkeypatch, lang):
    monkeypatch.chdir(repo)
    result = runner.invoke(cli, ["policy", "render", "--inventory", "policies/example", "--lang", lang,
                                 "--allow-untranslated"])
    assert result.exit_code == 0, result.output
    assert {"fa": "سیاست حفظ حریم خصوصی", "vi": "Chính sách quyền riêng tư"}[lang] in result.stdout
