"""The citation shown on a record, and BibTeX and RIS records for resources."""

import re

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

BIBTEX_TYPES = {
    "journal_article": "article",
    "report": "techreport",
    "policy_brief": "techreport",
    "case_study": "techreport",
    "dataset": "misc",
}
RIS_TYPES = {
    "journal_article": "JOUR",
    "report": "RPRT",
    "policy_brief": "RPRT",
    "case_study": "RPRT",
    "dataset": "DATA",
    "recording": "VIDEO",
    "toolkit": "GEN",
    "article": "BLOG",
}


def split_authors(resource):
    return [a.strip() for a in re.split(r";|,|\s+and\s+", resource.authors) if a.strip()]


def _bibtex_escape(text):
    text = str(text).replace("\\", "\\textbackslash{}")
    for char in "{}&%$#_":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def bibtex_key(resource):
    return re.sub(r"[^A-Za-z0-9]", "", resource.slug.title())[:40] + str(
        resource.publication_year or ""
    )


def bibtex(resource, base_url=""):
    fields = [("title", resource.title)]
    authors = split_authors(resource)
    if authors:
        fields.append(("author", " and ".join(authors)))
    if resource.publication_year:
        fields.append(("year", resource.publication_year))
    if resource.publisher:
        key = "institution" if BIBTEX_TYPES.get(resource.type) == "techreport" else "publisher"
        fields.append((key, resource.publisher))
    if resource.doi:
        fields.append(("doi", resource.doi))
    fields.append(("url", resource.url or base_url + resource.get_absolute_url()))
    if resource.abstract:
        fields.append(("abstract", resource.abstract))
    topics = [t.name for t in getattr(resource, "topic_list", [])]
    if topics:
        fields.append(("keywords", ", ".join(topics)))
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields)
    return f"@{BIBTEX_TYPES.get(resource.type, 'misc')}{{{bibtex_key(resource)},\n{body}\n}}\n"


def ris(resource, base_url=""):
    lines = [("TY", RIS_TYPES.get(resource.type, "GEN")), ("TI", resource.title)]
    lines += [("AU", author) for author in split_authors(resource)]
    if resource.publication_year:
        lines.append(("PY", resource.publication_year))
    if resource.publication_date:
        lines.append(("DA", resource.publication_date.strftime("%Y/%m/%d")))
    if resource.publisher:
        lines.append(("PB", resource.publisher))
    if resource.doi:
        lines.append(("DO", resource.doi))
    lines.append(("UR", resource.url or base_url + resource.get_absolute_url()))
    if resource.abstract:
        lines.append(("AB", resource.abstract))
    lines += [("KW", t.name) for t in getattr(resource, "topic_list", [])]
    lines.append(("LA", resource.language))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(str(value).split())}\r\n" for tag, value in lines)


def _sentence(text):
    """`text` closed by one full stop (none added after ?, ! or .)."""
    text = " ".join(str(text).split())
    return text if text.endswith((".", "?", "!")) else f"{text}."


def link_of(resource, base_url=""):
    """Where a reader finds the resource: its DOI, else its link, else its record here."""
    if resource.doi:
        return f"https://doi.org/{resource.doi}"
    return resource.url or base_url + resource.get_absolute_url()


def reference(resource, base_url=""):
    """The record's citation as HTML, author-date style, well formed whatever is missing:
    "Authors (2020). <cite>Title</cite>. Publisher. link"; the publisher leads when there
    are no authors, the title when there is neither; "n.d." stands for a missing year."""
    authors = " ".join(resource.authors.split()).rstrip(".")  # as typed: "Mensah, A." stays
    publisher = " ".join(resource.publisher.split())
    year = str(resource.publication_year) if resource.publication_year else _("n.d.")
    title = " ".join(resource.title.split())
    closed = title.endswith((".", "?", "!"))
    lead = authors or publisher.rstrip(".")
    if lead:
        parts = [
            format_html("{} ({}). <cite>{}</cite>{}", lead, year, title, "" if closed else ".")
        ]
        if authors and publisher:
            parts.append(format_html("{}", _sentence(publisher)))
    else:
        parts = [format_html("<cite>{}</cite> ({}).", title.rstrip("."), year)]
    link = link_of(resource, base_url)
    parts.append(format_html('<a href="{}">{}</a>', link, link))
    return format_html_join(" ", "{}", ((part,) for part in parts))
