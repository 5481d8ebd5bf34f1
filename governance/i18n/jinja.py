"""Install one language in a Jinja2 environment: ``{% trans %}``, ``_()``, and locale helpers.

Templates mark their fixed text with ``{% trans %}…{% endtrans %}`` or ``_("…")``
(Jinja2's ``jinja2.ext.i18n``, new-style gettext: variables are passed by name and
``%`` in a message is written ``%%``). Values inserted into a translated message are
escaped exactly like a ``{{ }}`` expression in the same template: HTML-escaped where
the template autoescapes, passed through the environment's ``finalize`` (Markdown
escaping for the policy) otherwise, so a translation cannot open a hole for
inventory text.

Globals: ``lang``, ``dir`` (``ltr``/``rtl``), ``font_stack`` (None: keep the
template's fonts), ``list_style`` (None, or the CSS counter style of the locale's digits),
``sep`` (list separator), ``clause_sep`` (between clauses, ``; ``);
filters: ``localdate`` (ISO date -> the locale's date), ``number`` (the locale's digits).
"""

from __future__ import annotations

from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from governance.i18n.localizer import Localizer


def _fill(eval_ctx: EvalContext, text: str, variables: dict):
    if eval_ctx.autoescape:
        return Markup(text) % variables
    finalize = eval_ctx.environment.finalize
    if finalize is None:
        return text % variables
    return Markup(text % {k: finalize(v) for k, v in variables.items()})


def install(env: Environment, loc: Localizer) -> None:
    """Add the i18n extension to ``env`` with the catalog and formats of ``loc``."""

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, message: str, /, **variables):
        return _fill(eval_ctx, loc.gettext(message), variables)

    @pass_eval_context
    def ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables):
        variables.setdefault("num", num)
        return _fill(eval_ctx, loc.ngettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables):
        return _fill(eval_ctx, loc.pgettext(context, message), variables)

    env.add_extension("jinja2.ext.i18n")
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext,
                       lang=loc.lang, dir=loc.direction, sep=loc.separator, clause_sep=loc.clause_separator,
                       font_stack=Markup(loc.font_stack) if loc.font_stack else None, list_style=loc.list_style)
    env.filters.update(localdate=loc.date, number=loc.number)
