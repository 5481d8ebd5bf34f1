"""``governance serve``: the privacy workspace in the browser, over the same library as the CLI.

  governance.web.app.create_app(config)    the Starlette application (officer pages and /privacy-center)
  governance.web.config.WebConfig          where the inventory, ledger, officer accounts and SMTP server are
  governance.web.users                     officer accounts with argon2 password hashes (``governance users add``)
  governance.web.store                     one-time codes and requesters' contact details, in the ledger database
  governance.web.runs                      check runs kept as JSON reports, summarised for the dashboard

Requests, deadlines, plans, letters and the audit log all come from :mod:`governance.dsr.service`;
check results from :func:`governance.rules.check.run_check`. The web layer only renders and routes.
"""
