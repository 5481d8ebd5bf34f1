"""``governance users``: officer accounts of ``governance serve``. Parses options, calls :mod:`governance.web.users`."""

from __future__ import annotations

from pathlib import Path

import click


def _file(inventory: str, officers: Path | None) -> Path:
    from governance.web.users import officers_file

    path = Path(inventory)
    return officers or officers_file(path if path.is_dir() else path.parent)


@click.group("users")
def users_group():
    """Officer accounts of `governance serve` (argon2id password hashes)."""


@users_group.command("add")
@click.argument("name")
@click.option("--inventory", default="policies", show_default=True, type=click.Path(),
              help="Inventory the accounts belong to (they are kept in <inventory dir>/.dsr/officers.yaml).")
@click.option("--officers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Accounts file [default: $GOVERNANCE_OFFICERS_FILE or <inventory dir>/.dsr/officers.yaml].")
@click.password_option("--password", prompt="Password", help="Asked for when not given (never echoed).")
def add_command(name, inventory, officers, password):
    """Add the officer NAME, or set a new password for NAME."""
    from governance.web.users import add_officer

    path = _file(inventory, officers)
    new = add_officer(path, name, password)
    click.echo(f"{'added' if new else 'changed the password of'} officer {name} in {path}")


@users_group.command("list")
@click.option("--inventory", default="policies", show_default=True, type=click.Path())
@click.option("--officers", type=click.Path(dir_okay=False, path_type=Path), default=None)
def list_command(inventory, officers):
    """List the officer names (never the hashes)."""
    from governance.web.users import load_officers

    for name in sorted(load_officers(_file(inventory, officers))):
        click.echo(name)
