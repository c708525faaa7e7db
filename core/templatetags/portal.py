import functools

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from core.content_translation import OUTDATED, outdated_display, reader_text, state

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


def _direction(code):
    try:
        return "rtl" if get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def _same_language(a, b):
    return (a or "").split("-")[0].lower() == (b or "").split("-")[0].lower()


@register.filter
def in_language(text, code):
    """`text` written in language `code`: marked with lang/dir when the page is in another one.

    A page never labels English as Arabic: `{{ resource.title|in_language:resource.language }}`.
    """
    return _mark(escape(text or ""), code or settings.LANGUAGE_CODE, block=False)


@register.filter
def bdi(text):
    """User text isolated from the page's direction, for blocktranslate's variables.

    `{% blocktranslate with q=search.q|bdi %}` keeps the msgid free of markup; elsewhere write
    `<bdi>{{ name }}</bdi>` (inline), `dir="auto"` (blocks of user text) or `dir="ltr"`
    (emails, URLs, codes) in the template itself.
    """
    return format_html("<bdi>{}</bdi>", text) if text not in (None, "") else ""


@register.filter
def datetime_with_zone(value):
    """A moment in the active language's DATETIME_FORMAT, followed by its time zone's name."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({date_format(local, 'e')})"


def _mark(html, code, *, block):
    if not html or _same_language(code, get_language() or settings.LANGUAGE_CODE):
        return mark_safe(html)  # noqa: S308 - escaped or sanitised by the caller
    # An element with `dir` is isolated from the page's direction (as <bdi> is: HTML's
    # rendering rules give [dir] `unicode-bidi: isolate`), so an English sentence inside an
    # Arabic paragraph keeps its full stop at its own end.
    element = "div" if block else "span"
    safe_html = mark_safe(html)  # noqa: S308 - escaped or sanitised by the caller
    return format_html(
        '<{} lang="{}" dir="{}">{}</{}>', element, code, _direction(code), safe_html, element
    )


@register.simple_tag
def translated(obj, field, markdown=False, lang=None):
    """A text field in the page's language, or the original inside lang="en" (and dir).

    Fields registered with django-modeltranslation (pages/translation.py,
    events/translation.py, resources/translation.py) have one column per language; when the
    page's language has no text, the English original is shown, marked as English. A
    translation made from an older English (core/content_translation.py) is shown
    with a short note, or replaced by the English where staff chose so for that language.
    Other fields are taken as written in `lang` (default English):
    `{% translated resource "title" lang=resource.language %}`.
    `markdown=True` renders sanitised Markdown in a block element.
    """
    if obj is None:
        return ""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    base = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    outdated = False
    if hasattr(obj, f"{field}_{base}"):
        text, source = getattr(obj, f"{field}_{current}", None), current
        if text and current != base and state(obj, field, current) == OUTDATED:
            outdated = outdated_display(current) == "note"
            if not outdated:
                text = None
        if not text:
            text, source = getattr(obj, f"{field}_{base}", None) or "", base
    else:
        text, source = getattr(obj, field, "") or "", lang or base
    html = render_markdown(text) if markdown else escape(text)
    marked = _mark(html, source, block=markdown)
    if outdated:
        note = gettext("This translation may be out of date.")
        element = "p" if markdown else "small"
        return format_html(
            '{}<{} class="translation-note">{}</{}>',
            marked,
            element,
            note if markdown else f"({note})",
            element,
        )
    return marked


@register.simple_tag
def translated_text(obj, field):
    """Plain text of a translated field, for a page's <title> and meta tags."""
    return reader_text(obj, field)


@register.simple_tag
def dot_join(*parts):
    """The parts that are there, joined by " · ": a missing field leaves no stray separator."""
    present = [str(part).strip() for part in parts if part and str(part).strip()]
    return format_html_join(" · ", "{}", ((part,) for part in present))


@register.filter
def initials(name):
    """Up to two initials of a name, for a face or logo that has no picture."""
    words = [w for w in str(name or "").replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def select_options(options, selected):
    """`<option>`s of a long `<select>` in one call: (value, label, count) tuples, the
    selected value marked. A template loop costs about 10 variable lookups per option
    (the directory's country list has up to 250)."""
    selected = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (value, mark_safe(" selected") if str(value) == selected else "", label, count)  # noqa: S308
            for value, label, count in options
        ),
    )
