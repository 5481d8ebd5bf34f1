"""The ``governance`` command. Each sub-command lives in its own module and loads only when used.

This package only parses arguments and prints; the work is done by the library
(``governance.scan``, ``governance.rules``, ``governance.policy``, ``governance.dsr``).

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage, configuration or input error.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys

import click

from governance import __version__
from governance.errors import ConfigError, as_error
from governance.limits import configure, parse
from governance.terminal import terminal_safe

#: command name -> "module:attribute". Adding a command is adding one module and one line here.
COMMANDS = {
    "scan": "governance.cli.scan:scan_command",
    "check": "governance.cli.check:check_command",
    "init": "governance.cli.init:init_command",
    "rules": "governance.cli.rules:rules_group",
    "policy": "governance.cli.policy:policy_group",
    "dsr": "governance.cli.dsr:dsr_group",
    "taxonomy": "governance.cli.taxonomy:taxonomy_command",
    "ropa": "governance.cli.ropa:ropa_command",
    "risk": "governance.cli.risk:risk_command",
    "deidentify": "governance.cli.deidentify:deidentify_command",
    "serve": "governance.cli.serve:serve_command",
    "users": "governance.cli.users:users_group",
}


class LazyGroup(click.Group):
    """A click group that imports a sub-command's module only when it runs (click's LazyGroup pattern)."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | {n for n in self.lazy if self._available(n)})

    def _available(self, name: str) -> bool:
        module = self.lazy[name].split(":")[0]
        return importlib.util.find_spec(module) is not None

    def get_command(self, ctx, name):
        if name in self.lazy and self._available(name):
            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # one error path: every failure is one line and exit 2; --debug shows the traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            error = as_error(exc)
            for n, line in enumerate(error.lines()):
                click.echo(terminal_safe(f"error: {line}" if n == 0 else line), err=True)
            ctx.exit(error.exit_code)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="governance")
@click.option("--debug", is_flag=True, help="Show full tracebacks and debug logs (never raw personal data).")
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=VALUE",
    help="Raise (or lower) a resource limit for hostile input, e.g. --limit max_depth=1000 "
    "(names and defaults: governance/data/limits.yaml).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, limits: tuple[str, ...]) -> None:
    """Find personal data, check it against the law and your declared inventory,
    publish your privacy policy and answer data-subject requests.

    Start with `governance scan PATH` to see what personal data a file, folder or
    database holds, then `governance check` to gate CI on the rule packs.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or input.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    try:
        configure(parse(limits))
    except ConfigError as exc:
        raise click.BadParameter(exc.one_line(), param_hint="--limit") from None
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="governance")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
