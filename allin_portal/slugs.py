from django.utils.text import slugify


def unique_slug(model, text, *, fallback="item", reserved=(), exclude_pk=None):
    """A slug of `text` no other `model` row uses (nor a `reserved` URL word): text, text-2..."""
    base = slugify(text)[:180] or fallback
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    slug, n = base, 2
    while slug in reserved or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
