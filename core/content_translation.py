"""Where each translation of the network's own content stands: missing, up to date, outdated.

Models whose text is translated with django-modeltranslation (`title_fr`, `title_ar`...)
inherit `TranslatedContent`. Each row keeps, in `translation_sources`, for every translation
it holds, a short hash of the English text the translation was made from and one of the
translation itself: `{"title_fr": ["<English hash>", "<French hash>"]}`. Saving the row
re-stamps a translation whose own text changed (a translator wrote it against the English of
that moment); an English edit alone leaves the stamp as it was, so the translation reads as
outdated until a translator revises or confirms it. No extra table and no extra query: pages
learn the state from the row they already hold.

Ground floor: imports no app of the project (the models come from modeltranslation's registry).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

MISSING, CURRENT, OUTDATED = "missing", "current", "outdated"
STATE_LABELS = {MISSING: _("missing"), CURRENT: _("up to date"), OUTDATED: _("outdated")}


def base_language():
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def target_languages():
    """The languages content is translated into (every portal language but English)."""
    return [code for code in settings.MODELTRANSLATION_LANGUAGES if code != base_language()]


def text_hash(text):
    """A short fingerprint of a text: enough to tell an edit, not meant to be secret."""
    normal = (text or "").strip().replace("\r\n", "\n")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def translated_fields(model):
    """The model's translated field names (`title`, `body`...), [] when not registered."""
    try:
        return list(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []


def workflow_models():
    """Every model whose translations the workflow follows, in a stable order."""
    found = [
        model
        for model in translator.get_registered_models(abstract=False)
        if issubclass(model, TranslatedContent) and not model._meta.abstract
    ]
    return sorted(found, key=lambda m: m._meta.label)


def stamp(obj):
    """Record, for each translation whose own text changed, the English it was made from."""
    sources = dict(obj.translation_sources or {})
    base = base_language()
    for field in translated_fields(type(obj)):
        english = getattr(obj, f"{field}_{base}", None)
        for code in target_languages():
            key = f"{field}_{code}"
            text = getattr(obj, key, None)
            if not text:
                sources.pop(key, None)
                continue
            recorded = sources.get(key)
            if recorded is None or recorded[1] != text_hash(text):
                sources[key] = [text_hash(english), text_hash(text)]
    obj.translation_sources = sources


def confirm(obj, field, code):
    """A translator checked a translation against the new English: it is up to date again."""
    text = getattr(obj, f"{field}_{code}", None)
    if text:
        english = getattr(obj, f"{field}_{base_language()}", None)
        obj.translation_sources = {
            **(obj.translation_sources or {}),
            f"{field}_{code}": [text_hash(english), text_hash(text)],
        }


def state(obj, field, code):
    """MISSING, CURRENT or OUTDATED for one field of one object in one language.

    An English original that is empty needs no translation (CURRENT). A translation saved
    before the workflow existed has no stamp: it is taken as up to date until the English
    changes after its next save.
    """
    english = getattr(obj, f"{field}_{base_language()}", None)
    if not english:
        return CURRENT
    if not getattr(obj, f"{field}_{code}", None):
        return MISSING
    recorded = (getattr(obj, "translation_sources", None) or {}).get(f"{field}_{code}")
    if recorded is not None and recorded[0] != text_hash(english):
        return OUTDATED
    return CURRENT


def object_state(obj, code):
    """The worst state of an object's fields in one language (missing before outdated)."""
    states = {state(obj, field, code) for field in translated_fields(type(obj))}
    for worst in (MISSING, OUTDATED):
        if worst in states:
            return worst
    return CURRENT


def outdated_display(code):
    """How pages show an outdated translation in `code`: "note" (the translation with a
    short note) or "original" (the English, marked lang="en"), as staff set it in
    CONTENT_OUTDATED_SHOW_ORIGINAL."""
    return "original" if code in settings.CONTENT_OUTDATED_SHOW_ORIGINAL else "note"


def reader_text(obj, field):
    """Plain text of a translated field in the active language, for places that hold no
    markup (a page's <title>, meta tags, JSON-LD): the English where there is no
    translation, or where staff show the English instead of an outdated one."""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    base = base_language()
    text = getattr(obj, f"{field}_{current}", None)
    if text and current != base and state(obj, field, current) == OUTDATED:
        text = text if outdated_display(current) == "note" else None
    return text or getattr(obj, f"{field}_{base}", None) or ""


class TranslatedContent(models.Model):
    """Abstract base of the network's translated content: keeps the translation stamps."""

    translation_sources = models.JSONField(
        _("translation sources"), default=dict, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The stamps are part of the row (like a derived column), kept by every save path:
        # the back office, the translator's page, the history loader.
        stamp(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "translation_sources"}
        super().save(*args, **kwargs)


def kind_of(model):
    """The name a kind of content goes by in URLs and filters: "events.event"."""
    return model._meta.label_lower


def model_for_kind(kind):
    return next((m for m in workflow_models() if kind_of(m) == kind), None)


def to_translate(code, models=None):
    """[(obj, {field: state})] of the objects with a missing or outdated field in `code`."""
    found = []
    for model in models or workflow_models():
        fields = translated_fields(model)
        for obj in model._default_manager.order_by("pk"):
            states = {field: state(obj, field, code) for field in fields}
            if any(s != CURRENT for s in states.values()):
                found.append((obj, states))
    return found


def report(codes=None):
    """Per language and kind: objects, and how many objects/fields are missing or outdated.

    [{"language", "kind", "objects", "missing_objects", "outdated_objects",
      "missing_fields", "outdated_fields"}]"""
    rows = []
    for code in codes or target_languages():
        for model in workflow_models():
            fields = translated_fields(model)
            row = {"language": code, "kind": kind_of(model), "objects": 0}
            row.update(missing_objects=0, outdated_objects=0, missing_fields=0, outdated_fields=0)
            for obj in model._default_manager.all():
                row["objects"] += 1
                states = [state(obj, field, code) for field in fields]
                row["missing_fields"] += states.count(MISSING)
                row["outdated_fields"] += states.count(OUTDATED)
                row["missing_objects"] += MISSING in states
                row["outdated_objects"] += OUTDATED in states
            rows.append(row)
    return rows
