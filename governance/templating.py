"""One sandboxed Jinja2 environment for every document the toolkit renders (policies, letters, HTML reports).

Templates come from a user's override directory first, then the built-in
``templates/``. Rendering is sandboxed and HTML is autoescaped, so text written in
an inventory cannot run template code or inject markup. Every environment has
Jinja2's i18n extension with one language's catalog installed (``lang``, English by
default; see :mod:`governance.i18n.jinja`).

:func:`render` is the one way a template is rendered: within the ``template_seconds``
and ``template_output_chars`` limits (a runaway loop in an override stops with one
error line), and any template error, an undefined variable included, becomes a
:class:`~governance.errors.ConfigError` naming the template file and line.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, Template, TemplateError, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from governance.errors import ConfigError
from governance.limits import current, exceeded

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
    env = BoundedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    i18n_jinja.install(env, localizer(lang))
    return env


class _Overrun(Exception):
    """A render went past a limit (raised inside the template, turned into a ConfigError by :func:`render`)."""

    def __init__(self, limit: str, what: str):
        super().__init__(limit)
        self.limit, self.what = limit, what


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with ``*`` and ``**`` bounded: ``"x" * 10**9`` fails instead of taking a gigabyte."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and not isinstance(right, bool) and abs(right) > 64:
            raise _Overrun("template_output_chars", "an exponent over 64")
        if operator == "*":
            count, item = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(item, (str, list, tuple)) and isinstance(count, int) and len(item) * count > current().template_output_chars:
                raise _Overrun("template_output_chars", "a repeated value too long")
        return super().call_binop(context, operator, left, right)


def _template_where(exc: BaseException, template: Template) -> str:
    """``file:line`` of the template where rendering failed (syntax errors carry it; others in the traceback)."""
    if getattr(exc, "filename", None):
        return f"{exc.filename}:{exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    builtin = str(bundled_dir("templates"))
    overrides = [f for f in frames if not f.filename.startswith(builtin)]  # a user's template is the likelier culprit
    frame = (overrides or frames or [None])[-1]
    return f"{frame.filename}:{frame.lineno}" if frame else (template.filename or template.name or "template")


def _deadline_tracer(deadline: float):
    """A trace function checking the clock on each line run by template code (and only there)."""

    def local(frame, event, arg):
        if event == "line" and time.monotonic() > deadline:
            raise _Overrun("template_seconds", "rendering took too long")
        return local

    def tracer(frame, event, arg):
        name = frame.f_code.co_filename
        return local if name.endswith(".j2") or name == "<template>" else None

    return tracer


_HINT = "fix or remove the template in your --templates directory"


def template(env: BoundedEnvironment, name: str) -> Template:
    """The template ``name``; a missing one or a syntax error is a :class:`ConfigError` naming the file and line."""
    try:
        return env.get_template(name)
    except TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if getattr(exc, "filename", None) else name
        raise ConfigError(f"the template cannot be loaded: {exc.__class__.__name__}: {exc}", where=where,
                          hint=_HINT) from None


def render(template: Template, **context) -> str:
    """``template`` rendered with ``context``, within the template limits; failures are one :class:`ConfigError`."""
    limits = current()
    pieces: list[str] = []
    size = 0
    previous = sys.gettrace()
    sys.settrace(_deadline_tracer(time.monotonic() + limits.template_seconds))
    try:
        for piece in template.generate(**context):
            size += len(piece)
            if size > limits.template_output_chars:
                raise _Overrun("template_output_chars", "the output is too long")
            pieces.append(piece)
    except _Overrun as exc:
        raise exceeded(exc.limit, f"the template stopped: {exc.what}", _template_where(exc, template), ConfigError) from None
    except TemplateError as exc:  # a user's template: name the file and line, never a traceback
        raise ConfigError(f"the template failed: {exc.__class__.__name__}: {exc}", where=_template_where(exc, template),
                          hint=_HINT) from None
    finally:
        sys.settrace(previous)
    return "".join(pieces)
