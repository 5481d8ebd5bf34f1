"""``governance ropa``: write the record of processing activities (GDPR Art. 30) from the inventory."""

from __future__ import annotations

from pathlib import Path

import click

from governance.errors import ConfigError

FORMATS = ("xlsx", "csv", "html", "json")


@click.command("ropa")
@click.option("--inventory", default="policies", show_default=True, type=click.Path(),
              help="Inventory YAML file, or a directory of them.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: from the output file's suffix].")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="File to write.")
def ropa_command(inventory, fmt, output):
    """Write the record of processing activities (GDPR Art. 30): one row per purpose with
    every item of Art. 30(1)(a)-(g), and a processor sheet per Art. 30(2).

    Column headings follow the CNIL's record template. Items the inventory does not
    declare are written "MISSING: ..." and listed on stderr; `governance check` reports
    them as GDPR-RECORD-OF-PROCESSING.
    """
    from governance.fileio import atomic_write
    from governance.inventory.loader import load_inventory
    from governance.ropa.record import build_record
    from governance.ropa.writers import WRITERS

    fmt = fmt or Path(output).suffix.lower().lstrip(".")
    if fmt not in WRITERS:
        raise ConfigError(f"cannot tell the format from '{Path(output).name}'", where="--output",
                          hint=f"give --format {'|'.join(FORMATS)} or a file ending in one of them")
    record = build_record(load_inventory(Path(inventory)).inventory)
    with atomic_write(output, "wb") as fh:
        WRITERS[fmt](record, fh)
    rows = sum(len(s.rows) for s in record.sheets)
    click.echo(f"{fmt} record of {rows} processing activities written to {output}", err=True)
    for text in dict.fromkeys(g.text for g in record.gaps):  # a recipient serving two purposes is one gap
        click.echo(f"missing: {text}", err=True)
