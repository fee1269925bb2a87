"""GOV.UK Design System components, each written once in ``web/templates/components/``.

Pages keep their own wording, links and visually-hidden text; the markup around it (classes,
``scope`` on table headers, the scrolling region of a wide table, a summary list's actions
column) lives only in the component templates. ``{% load components %}``, then:

- ``{% summary_list %}`` holding ``{% summary_row key %}value{% endsummary_row %}`` rows. A row
  links an action with ``action_href=… action_text="Change" action_hidden="the start date"``
  (the visually-hidden context is required), or takes any other actions cell after
  ``{% actions %}`` (empty: an empty actions cell).
- ``{% summary_card level=2 %}title{% title_extra %}…{% body %}…{% endsummary_card %}``.
- ``{% table region="…" caption_size="m" %}caption{% head %}{% column "Name" %}…{% body %}
  rows{% endtable %}``: rows are ``{% table_row %}`` of ``{% cell %}…{% endcell %}``
  (``header=True`` for a row header, ``numeric=True``, ``nowrap=True``, ``colspan=``,
  ``label=`` naming the cell when ``classes="app-table--stacked"`` stacks rows on a phone).
  ``region`` is the accessible name of the region that scrolls a wide table at 320 px;
  ``caption_hidden=True`` keeps the caption for screen readers only.
- ``{% tag "green" %}text{% endtag %}``, ``{% back_link href text %}``,
  ``{% notification_banner text type=… %}``.
- ``{% button %}label{% endbutton %}`` (``variant``, ``classes``, ``href`` for a link that looks
  like a button, ``type``, ``print``, ``hidden``), ``{% inset_text %}``, ``{% warning_text %}``,
  ``{% details open=… %}summary{% body %}…{% enddetails %}``.

A block component's sections are rendered in the page's context; the component template sees
only its arguments and sections, so it cannot come to depend on a page's variables. Nodes keep
no state between renders (the cached template loader shares them across requests).
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Stands in for a component's content while its markup is rendered once for reuse (below).
_CONTENT = mark_safe("\x00component content\x00")  # nosec B308 B703


def render_tag(text, colour: str = "") -> SafeString:
    """A GOV.UK tag, for Python template tags (``state_tag``, ``deadline``)."""
    html = get_template("components/tag.html").render({"content": text, "colour": colour})
    # The template escapes the text; only the surrounding whitespace is trimmed here.
    return mark_safe(html.strip())  # noqa: S308 # nosec B308 B703


class ComponentNode(template.Node):
    """Renders ``components/<name>.html`` with the tag's arguments and its rendered sections."""

    def __init__(
        self,
        template_name: str,
        arguments: tuple[str, ...],
        kwargs: dict[str, FilterExpression],
        sections: dict[str, NodeList | None],
        reuse: bool = False,
    ):
        self.template_name = template_name
        self.arguments = arguments
        self.kwargs = kwargs
        self.sections = sections
        self.reuse = reuse

    def render(self, context):
        # Every argument is in the component's context, None when not given: a missing
        # variable costs the template engine an exception at each lookup.
        values = dict.fromkeys(self.arguments)
        values.update((name, value.resolve(context)) for name, value in self.kwargs.items())
        for name, nodelist in self.sections.items():
            # Rendered by the template engine, so already escaped: trimming keeps it safe.
            rendered = None if nodelist is None else nodelist.render(context).strip()
            values[name] = None if rendered is None else mark_safe(rendered)  # noqa: S308 # nosec B308 B703
        if self.reuse:
            return self.render_reused(context, values)
        return self.render_component(context, values)

    def render_component(self, context, values: dict) -> SafeString:
        component = context.render_context.get(self)
        if component is None:
            component = context.template.engine.get_template(self.template_name)
            context.render_context[self] = component
        return mark_safe(component.render(context.new(values)).strip())  # noqa: S308 # nosec B308 B703

    def render_reused(self, context, values: dict) -> SafeString:
        """For the components a page renders by the hundred (table cells and rows, tags): the
        markup around the content is rendered once per template and set of arguments, and
        reused. Their templates show the content once and never test it."""
        content = values.pop("content", None)
        try:
            key = (self.template_name, *values.items())
            shell = context.render_context.get(key)
        except TypeError:  # an argument that cannot be a key: render it in full
            return self.render_component(context, {**values, "content": content})
        if shell is None:
            html = self.render_component(context, {**values, "content": _CONTENT})
            if html.count(_CONTENT) != 1:  # the marker in an argument too: no reuse
                return self.render_component(context, {**values, "content": content})
            shell = context.render_context[key] = html.split(_CONTENT)
        # Both parts come from the component template, the content from the page's: all escaped.
        return mark_safe(shell[0] + (content or "") + shell[1])  # noqa: S308 # nosec B308 B703


def _arguments(
    parser: Parser, token: Token, positional: tuple[str, ...], keywords: tuple[str, ...]
) -> tuple[str, dict[str, FilterExpression]]:
    """The tag name and its arguments by name: positional ones first, then ``name=value``."""
    tag_name, *bits = token.split_contents()
    kwargs: dict[str, FilterExpression] = {}
    unfilled = list(positional)
    for bit in bits:
        name, equals, value = bit.partition("=")
        if equals and name.isidentifier():
            if name not in positional + keywords or name in kwargs:
                raise template.TemplateSyntaxError(f"{tag_name}: unexpected argument {name!r}")
            kwargs[name] = parser.compile_filter(value)
            unfilled = []  # no positional argument after a keyword
            continue
        if not unfilled:
            raise template.TemplateSyntaxError(f"{tag_name}: unexpected argument {bit!r}")
        kwargs[unfilled.pop(0)] = parser.compile_filter(bit)
    return tag_name, kwargs


def _sections(
    parser: Parser, tag_name: str, first: str, optional: tuple[str, ...], required: tuple[str, ...]
) -> dict[str, NodeList | None]:
    """The block's content up to ``{% end<tag> %}``, split at separator tags named in
    ``optional + required`` (in that order); a required separator must appear."""
    end = f"end{tag_name}"
    remaining = optional + required
    sections: dict[str, NodeList | None] = dict.fromkeys(remaining)
    current = first
    while True:
        sections[current] = parser.parse((end, *remaining))
        separator, *extra = parser.next_token().split_contents()
        if extra:
            raise template.TemplateSyntaxError(f"{{% {separator} %}} takes no arguments")
        if separator == end:
            break
        remaining = remaining[remaining.index(separator) + 1 :]
        current = separator
    missing = [name for name in required if sections[name] is None]
    if missing:
        raise template.TemplateSyntaxError(f"{tag_name} needs {{% {missing[0]} %}}")
    return sections


def _component(
    name: str,
    *,
    positional: tuple[str, ...] = (),
    keywords: tuple[str, ...] = (),
    block: bool = False,
    optional: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
    check=None,
    reuse: bool = False,
):
    """Register ``{% name %}`` rendering ``components/name.html``; a block component's content
    is the ``content`` section."""

    def compile_tag(parser: Parser, token: Token) -> ComponentNode:
        tag_name, kwargs = _arguments(parser, token, positional, keywords)
        if check is not None:
            check(tag_name, kwargs)
        sections = _sections(parser, tag_name, "content", optional, required) if block else {}
        arguments = positional + keywords
        return ComponentNode(f"components/{name}.html", arguments, kwargs, sections, reuse)

    register.tag(name, compile_tag)


def _action_needs_context(tag_name: str, kwargs: dict) -> None:
    # WCAG 2.4.4: "Change" alone does not say what it changes when read out of context.
    if "action_href" in kwargs and "action_hidden" not in kwargs:
        raise template.TemplateSyntaxError(f"{tag_name}: an action needs action_hidden")


_component("summary_list", block=True)
_component(
    "summary_row",
    positional=("key",),
    keywords=("action_href", "action_text", "action_hidden"),
    block=True,
    optional=("actions",),
    check=_action_needs_context,
)
_component(
    "summary_card", keywords=("level",), block=True, optional=("title_extra",), required=("body",)
)
_component(
    "table",
    keywords=("region", "caption_size", "caption_hidden", "classes"),
    block=True,
    required=("head", "body"),
)
_component("column", positional=("text",), keywords=("numeric", "hidden"))
_component("table_row", block=True, reuse=True)
_component(
    "cell", keywords=("header", "numeric", "nowrap", "colspan", "label"), block=True, reuse=True
)
_component("tag", positional=("colour",), block=True, reuse=True)
_component("back_link", positional=("href", "text"))
_component("notification_banner", positional=("text",), keywords=("type", "index", "title"))
_component("button", keywords=("variant", "classes", "href", "type", "print", "hidden"), block=True)
_component("inset_text", block=True)
_component("warning_text", block=True)
_component("details", keywords=("open",), block=True, required=("body",))
