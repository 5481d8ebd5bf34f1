"""Options shared by ``risk`` and ``deidentify``: a SOURCE argument, or a dataset of the inventory."""

from __future__ import annotations

import click

from governance.errors import ConfigError


def dataset_options(command):
    """``--inventory DIR --dataset ID``: read the declared dataset instead of a SOURCE."""
    command = click.option("--dataset", default=None, metavar="ID",
                           help="A dataset of the inventory instead of SOURCE (its location, quasi_identifiers "
                                "and declared identifier fields).")(command)
    return click.option("--inventory", default="policies", show_default=True, type=click.Path(),
                        help="Inventory YAML file or directory, for --dataset.")(command)


def resolve(source: str | None, inventory: str, dataset: str | None):
    """The declared dataset (or ``None``) and the source to read; exactly one of SOURCE and --dataset."""
    if (source is None) == (dataset is None):
        raise ConfigError("give a SOURCE or --dataset ID (not both)", hint="see --help")
    if dataset is None:
        return None, source
    from governance.risk.declared import declared_dataset

    declared = declared_dataset(inventory, dataset)
    return declared, declared.source
