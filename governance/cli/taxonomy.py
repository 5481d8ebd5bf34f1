"""``governance taxonomy``: list the fideslang keys inventories and rules use."""

from __future__ import annotations

import click

_TABLES = {
    "data-categories": "data_categories",
    "data-uses": "data_uses",
    "data-subjects": "data_subjects",
}


@click.command("taxonomy")
@click.argument("kind", type=click.Choice(list(_TABLES)))
@click.option("--under", metavar="KEY", default=None, help="Only keys at or below this one (e.g. user.contact).")
@click.option("--describe", is_flag=True, help="Also print each key's description.")
def taxonomy_command(kind, under, describe):
    """List fideslang data categories, data uses or data subjects (the keys the inventory accepts)."""
    from governance import taxonomy

    table = getattr(taxonomy, _TABLES[kind])()
    keys = [k for k in sorted(table) if under is None or taxonomy.category_matches(under, k)]
    if not keys:
        raise click.BadParameter(f"no {kind} key at or below '{under}'", param_hint="--under")
    width = max(len(k) for k in keys)
    for key in keys:
        click.echo(f"{key:<{width}}  {table[key]['name']}")
        if describe and table[key]["description"]:
            click.echo(f"{'':<{width}}  {table[key]['description']}")
