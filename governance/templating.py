"""One sandboxed Jinja2 environment for every document the toolkit renders (policies, letters, HTML reports).

Templates come from a user's override directory first, then the built-in
``templates/``. Rendering is sandboxed and HTML is autoescaped, so text written in
an inventory cannot run template code or inject markup. Every environment has
Jinja2's i18n extension with one language's catalog installed (``lang``, English by
default; see :mod:`governance.i18n.jinja`).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from governance.i18n import jinja as i18n_jinja
from governance.i18n.localizer import localizer
from governance.resources import bundled_dir


def environment(override_dir: str | Path | None = None, *, autoescape_all: bool = False,
                lang: str = "en") -> ImmutableSandboxedEnvironment:
    """A sandboxed environment loading ``override_dir`` (if given) before the built-in templates.

    ``autoescape_all`` escapes every template (use for HTML output built from
    Markdown-named templates); otherwise ``.html``/``.htm``/``.xml`` templates are escaped.
    ``lang`` selects the catalog of ``{% trans %}`` blocks and ``_()`` (an unknown
    language raises an error listing the available ones).
    """
    loaders = []
    if override_dir is not None:
        loaders.append(FileSystemLoader(str(override_dir)))
    loaders.append(FileSystemLoader(str(bundled_dir("templates"))))
    autoescape = True if autoescape_all else select_autoescape(["html", "htm", "xml", "html.j2", "xml.j2"])
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    i18n_jinja.install(env, localizer(lang))
    return env
