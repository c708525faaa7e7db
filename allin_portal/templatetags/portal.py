import functools

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@register.filter
def markdown(text):
    """Markdown to HTML, keeping only harmless tags and http(s)/mailto links."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3


@functools.lru_cache(maxsize=1024)
def render_markdown(text):
    """Pure and slow-ish (Python-Markdown), so each worker remembers recent texts."""
    html = markdown_lib.markdown(text, extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
