"""``governance policy``: render the privacy policy, check it is complete, compare versions.

Parses options and prints; the work is in :mod:`governance.policy`.
"""

from __future__ import annotations

import sys

import click

from governance.report import FORMATS as REPORT_FORMATS

POLICY_FORMATS = ("markdown", "html", "pdf")

LANG_HELP = "Language of the policy: en, or any language with a catalog in governance/locale (fa, vi)."


@click.group("policy")
def policy_group() -> None:
    """Publish the customer-facing privacy policy from the inventory.

    `render` writes it (Markdown, HTML, or PDF with the `pdf` extra), `check` lists the
    disclosures the law requires that the inventory cannot yet supply (and, with
    --policy, contradictions in a hand-written policy), `diff` compares saved versions.
    """


@policy_group.command("render")
@click.option("--inventory", default="policies", show_default=True, type=click.Path(),
              help="Inventory YAML file, or a directory of them.")
@click.option("--format", "fmt", type=click.Choice(POLICY_FORMATS), default="markdown", show_default=True,
              help="Output format (pdf needs: pip install 'governance[pdf]').")
@click.option("--output", "-o", type=click.Path(), default=None, help="Write to FILE instead of stdout.")
@click.option("--templates", "templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="Directory of your own templates (same layout as the built-in templates/, "
                   "e.g. DIR/policy/sections/children.md.j2); each file found there replaces the built-in one.")
@click.option("--save-version", "versions_dir", type=click.Path(file_okay=False), default=None,
              help="Also keep this rendering, with its structured content, in DIR/<version>/ for `policy diff`.")
@click.option("--lang", default="en", show_default=True, metavar="LANG", help=LANG_HELP)
@click.option("--draft", is_flag=True,
              help="Render an unfinished inventory (placeholders, no datasets, no version...) with every page marked "
                   "'DRAFT - not for publication'; without it such an inventory exits 2.")
@click.option("--allow-untranslated", is_flag=True,
              help="With --lang: keep the inventory's sentences that have no translation in English "
                   "instead of exiting 2 with the list of them.")
def render_command(inventory, fmt, output, templates, versions_dir, lang, draft, allow_untranslated):
    """Render the privacy policy from the inventory (in English, Persian or Vietnamese with --lang)."""
    from governance.fileio import atomic_write
    from governance.inventory.loader import load_inventory
    from governance.policy.context import build_context
    from governance.policy.render import ensure_publishable, ensure_translated, render_policy
    from governance.policy.versions import save_version

    from governance.i18n import check_language

    check_language(lang)
    loaded = load_inventory(inventory)
    if not draft:
        ensure_publishable(loaded)
    elif versions_dir:
        raise click.UsageError("a draft is not saved as a policy version: leave out --save-version or --draft")
    if not allow_untranslated:
        ensure_translated(loaded, lang)
    context = build_context(loaded)  # the English view model is what saved versions compare
    localized = context if lang == "en" else build_context(loaded, lang)
    rendered = render_policy(loaded, fmt, templates, context=localized, lang=lang, draft=draft)
    if output:
        with atomic_write(output, "wb") as fh:
            fh.write(rendered if isinstance(rendered, bytes) else rendered.encode("utf-8"))
        click.echo(f"wrote the {fmt} policy to {output}", err=True)
    elif isinstance(rendered, bytes):
        raise click.UsageError("PDF output is binary: give --output FILE")
    else:
        click.echo(rendered, nl=False)
    if versions_dir:
        where = save_version(versions_dir, context, rendered, fmt, inventory=str(inventory), lang=lang)
        click.echo(f"saved version {context.version or '(unversioned)'} in {where}", err=True)


@policy_group.command("check", epilog="\b\nExit codes:\n  0  every required disclosure can be made, no contradiction\n"
                                      "  1  disclosures missing, or the --policy text contradicts the inventory\n"
                                      "  2  bad usage or an invalid inventory")
@click.option("--inventory", default="policies", show_default=True, type=click.Path(),
              help="Inventory YAML file, or a directory of them.")
@click.option("--policy", "policy_file", type=click.Path(), default=None,
              help="A hand-written policy (Markdown, HTML or text) to compare with the inventory.")
@click.option("--format", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="table", show_default=True,
              help="Report format.")
@click.option("--output", "-o", type=click.Path(), default=None, help="Write the report to FILE instead of stdout.")
@click.option("--lang", default="en", show_default=True, metavar="LANG",
              help="Language the --policy text is written in: its words and phrases are looked for as well as the "
                   "English ones (en, or any language with a catalog: fa, vi).")
def check_command(inventory, policy_file, fmt, output, lang):
    """List the disclosures the privacy policy must make that the inventory cannot supply."""
    from governance.policy.check import run_policy_check
    from governance.report import render

    result = run_policy_check(inventory, policy_file, lang)
    if output:
        from governance.fileio import atomic_write

        with atomic_write(output) as fh:
            render(result, fmt, fh, fail_on="info")
    else:
        render(result, fmt, sys.stdout, fail_on="info")
    sys.exit(1 if result.open_at_or_above("info") else 0)


@policy_group.command("diff")
@click.argument("old", type=click.Path(exists=True))
@click.argument("new", type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(old, new, fmt):
    """Say what changed between two saved versions (version directories or their files).

    Material changes (a new category, purpose or recipient, a new sale or sharing) are
    marked: customers must be told before the new version takes effect.
    """
    import json

    from governance.policy.versions import diff, load_version

    result = diff(load_version(old), load_version(new))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(result.to_text(), nl=False)
