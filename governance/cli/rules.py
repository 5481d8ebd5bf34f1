"""``governance rules``: list, show and validate rule packs."""

from __future__ import annotations

import click

_RULES_OPTION = click.option("--rules", "rules_dirs", multiple=True, type=click.Path(),
                             help="Extra rule pack directory (repeatable).")


@click.group("rules")
def rules_group():
    """List, show and validate the rule packs `governance check` uses."""


@rules_group.command("list")
@_RULES_OPTION
@click.option("--pack", "packs", multiple=True, help="Only rules of this pack (repeatable).")
def list_command(rules_dirs, packs):
    """List every rule: id, severity, title and citation."""
    from governance.rules.loader import load_rules

    from governance.policy.completeness import PACK, disclosure_infos

    ruleset = load_rules(rules_dirs)
    for pack in ruleset.packs:
        if packs and pack.name not in packs:
            continue
        click.echo(f"{pack.name}: {pack.title}")
        for rule in (r for r in ruleset.rules if r.pack is pack):
            s = rule.spec
            click.echo(f"  {s.id:<36} {s.severity:<8} {s.title} [{s.citation}]")
    if not packs or PACK in packs:
        click.echo(f"{PACK}: Privacy-policy disclosures (governance/data/required_disclosures.yaml)")
        for info in disclosure_infos():
            click.echo(f"  {info.id:<36} {info.severity:<8} {info.title} [{info.citation}]")


@rules_group.command("show")
@click.argument("rule_id")
@_RULES_OPTION
def show_command(rule_id, rules_dirs):
    """Show one rule: what the law requires, the citation, and its conditions."""
    from governance.errors import ConfigError
    from governance.rules.loader import load_rules

    from governance.policy.completeness import disclosure_info

    rule = load_rules(rules_dirs).get(rule_id)
    if rule is None:
        info = disclosure_info(rule_id)
        if info is None:
            raise ConfigError(f"no rule with id '{rule_id}'", hint="see `governance rules list`")
        click.echo(f"{info.id} — {info.title}")
        click.echo(f"pack: {info.pack}   severity: {info.severity}   target: the privacy policy")
        click.echo(f"law: {info.law}   citation: {info.citation}")
        click.echo("")
        click.echo(click.wrap_text(info.description, 88))
        click.echo("")
        click.echo("remediation: " + info.remediation)
        return
    s = rule.spec
    click.echo(f"{s.id} — {s.title}")
    click.echo(f"pack: {rule.pack.name}   severity: {s.severity}   target: {s.target}")
    click.echo(f"law: {s.law}   citation: {s.citation}")
    if s.help_uri:
        click.echo(f"read: {s.help_uri}")
    click.echo("")
    click.echo(click.wrap_text(s.description, 88))
    click.echo("")
    click.echo("remediation: " + s.remediation)
    click.echo("")
    click.echo(f"# {rule.path}")
    click.echo(rule.path.read_text(encoding="utf-8").rstrip())


@rules_group.command("validate")
@click.argument("directory", type=click.Path())
def validate_command(directory):
    """Validate a directory of rule packs (with the built-in packs, to catch duplicate ids).

    Exit code 2 and one line per problem (file:line: key: reason) when anything is wrong.
    """
    from pathlib import Path

    from governance.rules.loader import load_rules

    ruleset = load_rules([directory])
    mine = [r for r in ruleset.rules if Path(directory).resolve() in r.path.resolve().parents]
    packs = sorted({r.pack.name for r in mine})
    click.echo(f"{directory}: {len(mine)} rules in {len(packs)} pack(s) ({', '.join(packs)}) are valid")
