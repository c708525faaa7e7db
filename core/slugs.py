import re

from django.utils.text import slugify


def unique_slug(model, text, *, fallback="item", reserved=(), exclude_pk=None):
    """A slug of `text` no other `model` row uses (nor a `reserved` URL word): text, text-2..."""
    base = slugify(text)[:180] or fallback
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    slug, n = base, 2
    while slug in reserved or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def unique_slugs(model, texts, *, fallback="item", field="slug"):
    """Slugs for many new `model` rows at once (one query): none taken, none repeated.

    For bulk imports, where `unique_slug` would cost a query per row.
    """
    max_length = model._meta.get_field(field).max_length or 50
    bases = [slugify(text)[: min(180, max_length - 8)] or fallback for text in texts]
    prefixes = sorted(set(bases))
    taken = set()
    # One query: the slugs that start like any of ours (a few hundred prefixes per clause).
    for start in range(0, len(prefixes), 500):
        chunk = prefixes[start : start + 500]
        pattern = "^(" + "|".join(re.escape(p) for p in chunk) + ")(-[0-9]+)?$"
        taken.update(
            model.objects.filter(**{f"{field}__regex": pattern}).values_list(field, flat=True)
        )
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs
