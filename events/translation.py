"""Event text entered per language in the back office (see allin_portal/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Event, Outcome


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("summary",)


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("text",)
