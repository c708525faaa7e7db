"""Event text entered per language in the back office (see pages/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Event, Outcome
from events.questions import Question


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("summary", "source_note")


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("text",)


# Worded by event staff in the event's languages (Event.languages); the choices' wording
# lives in Question.choice_labels (modeltranslation does not translate an ArrayField).
@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "help_text")
