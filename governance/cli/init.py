"""``governance init``: write a commented starter inventory from a scan of your data or a Fides manifest."""

from __future__ import annotations

import click


@click.command("init")
@click.argument("sources", nargs=-1)
@click.option("--output", "-o", default="policies/inventory.yaml", show_default=True, type=click.Path(),
              help="Where to write the starter inventory.")
@click.option("--from-fides", "fides", type=click.Path(), default=None,
              help="Import a Fides manifest (dataset/system YAML) instead of scanning.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--no-ner", is_flag=True, help="Do not load the spaCy model while scanning (faster).")
def init_command(sources, output, fides, force, no_ner):
    """Write a starter inventory for SOURCES (files, folders, database URLs).

    Every table becomes a dataset; columns where the scanner finds personal data get
    the category it found, the others personal: false. For databases, references are
    proposed from foreign keys and from names whose values all match (customer_id ->
    customers.id), with confirmed: false for you to check. Finish the TODOs, then run
    `governance check`.
    """
    from pathlib import Path

    from governance.inventory.starter import render_starter, write_starter

    output_path = Path(output)
    if output_path.exists() and not force:
        raise click.UsageError(f"{output} already exists; use --force to replace it")
    if fides and sources:
        raise click.UsageError("give either SOURCES to scan or --from-fides, not both")
    if fides:
        from governance.inventory.fides import import_fides

        starter = import_fides(fides)
    else:
        from governance.inventory.init import starter_for_sources
        from governance.scan.options import ScanOptions

        starter = starter_for_sources(list(sources), output_path.parent, ScanOptions(ner=not no_ner))
    target = output_path.parent if output_path.name == "inventory.yaml" else output_path
    write_starter(render_starter(starter, str(target)), output_path, force=force)
    click.echo(f"wrote {output} ({len(starter.datasets)} datasets); finish the TODOs, then run "
               f"`governance check --inventory {target}`", err=True)
