"""Babel extractors for the wording that lives in data, not in templates or code.

``babel.cfg`` maps them (``pybabel extract -F babel.cfg``):

- :func:`extract_yaml` takes the values at the key paths of its ``keys`` option from a
  YAML data file, e.g. ``category_groups.*.label`` (``*`` is any key or list item).
  ``path[]`` takes a whole list as one message, its items joined by ``, ``;
  ``path|context`` gives the messages a gettext context.
- :func:`extract_fideslang` takes the names of fideslang's ``user`` data categories,
  which letters show (:func:`governance.taxonomy.category_label`).

Code translates these values with :meth:`governance.i18n.Localizer.term`.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

#: separator of a list extracted as one message (``path[]``)
LIST_SEPARATOR = ", "


def _walk(node: yaml.Node, steps: list[str]) -> Iterator[yaml.Node]:
    if not steps:
        yield node
        return
    step, rest = steps[0], steps[1:]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if step in ("*", key.value):
                yield from _walk(value, rest)
    elif isinstance(node, yaml.SequenceNode) and step == "*":
        for item in node.value:
            yield from _walk(item, rest)


def _key_specs(option: str) -> Iterator[tuple[list[str], bool, str | None]]:
    for spec in option.split():
        path, _, context = spec.partition("|")
        joined = path.endswith("[]")
        yield path.removesuffix("[]").split("."), joined, context or None


def extract_yaml(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Messages at the ``keys`` paths of a YAML file: ``(line, funcname, message(s), comments)``."""
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)
    if root is None:
        return
    for steps, joined, context in _key_specs(options.get("keys", "")):
        for node in _walk(root, steps):
            if joined and isinstance(node, yaml.SequenceNode):
                text = LIST_SEPARATOR.join(str(item.value) for item in node.value)
            elif isinstance(node, yaml.ScalarNode) and node.value:
                text = str(node.value)
            else:
                continue
            line = node.start_mark.line + 1
            comment = [f"{'.'.join(steps)}{'[] (comma-separated list)' if joined else ''}"]
            if context:
                yield line, "pgettext", (context, text), comment
            else:
                yield line, None, text, comment


def extract_fideslang(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Names of fideslang's ``user.*`` data categories (the file mapped to this extractor is not read)."""
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    prefix = options.get("prefix", "user")
    for item in DEFAULT_TAXONOMY.data_category:
        if item.name and (item.fides_key == prefix or item.fides_key.startswith(prefix + ".")):
            yield 0, None, item.name, [f"fideslang data category {item.fides_key}"]
