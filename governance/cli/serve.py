"""``governance serve``: the privacy workspace in the browser. Parses options, builds the app, runs uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click

SMTP_HELP = ("The privacy center mails one-time codes through this server; without it the public form is "
             "switched off. A login is read from GOVERNANCE_SMTP_USER and GOVERNANCE_SMTP_PASSWORD.")


@click.command("serve")
@click.option("--inventory", default="policies", show_default=True, type=click.Path(exists=True),
              help="Inventory YAML file, or a directory of them.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (only this machine by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--ledger", default=None, metavar="PATH|URL",
              help="Request ledger: a SQLite file or a database URL [default: <inventory dir>/.dsr/ledger.db].")
@click.option("--officers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Officer accounts file [default: $GOVERNANCE_OFFICERS_FILE or <inventory dir>/.dsr/officers.yaml].")
@click.option("--smtp-host", default=None, help=SMTP_HELP)
@click.option("--smtp-port", default=25, show_default=True, type=click.IntRange(1, 65535), help="Port of the SMTP server.")
@click.option("--smtp-from", default=None, help="Sender address of the code e-mails [default: the inventory's privacy contact].")
@click.option("--smtp-starttls", is_flag=True, help="Upgrade the SMTP connection with STARTTLS.")
@click.option("--insecure-cookies", is_flag=True,
              help="Leave the Secure flag off the session cookie, for a browser that refuses Secure cookies "
                   "over plain HTTP (Chromium keeps them for http://127.0.0.1). Use only on this machine.")
def serve_command(inventory, host, port, ledger, officers, smtp_host, smtp_port, smtp_from, smtp_starttls,
                  insecure_cookies):
    """Start the privacy workspace: the officer's dashboard and request queue (login required)
    and the customer's privacy center at /privacy-center.

    Officer accounts are made with `governance users add NAME`. Sessions are signed with
    GOVERNANCE_SESSION_SECRET when set (otherwise a new secret each start, which logs everyone out).
    """
    import uvicorn

    from governance.web.app import create_app
    from governance.web.config import ENV_SMTP_PASSWORD, ENV_SMTP_USER, SmtpConfig, WebConfig

    config = WebConfig(inventory=Path(inventory), ledger=ledger, officers=officers,
                       secure_cookies=not insecure_cookies)
    app = create_app(config)
    if smtp_host:
        sender = smtp_from or app.state.web.loaded.inventory.organization.privacy_contact.email or "privacy@localhost"
        config.smtp = SmtpConfig(smtp_host, smtp_port, sender, smtp_starttls,
                                 os.environ.get(ENV_SMTP_USER), os.environ.get(ENV_SMTP_PASSWORD))
    if not config.officers_path.exists():
        click.echo(f"note: no officer account yet; add one with `governance users add NAME --inventory {inventory}`",
                   err=True)
    if not smtp_host:
        click.echo("note: no --smtp-host, so the privacy center's form is switched off", err=True)
    click.echo(f"Privacy workspace on http://{host}:{port}/ (privacy center: /privacy-center)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
