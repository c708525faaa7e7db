"""Event text entered per language in the back office (see pages/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import AgendaItem, Event, EventPerson, Outcome
from events.questions import Question


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "participants_from", "source_note")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")


@register(EventPerson)
class EventPersonTranslation(TranslationOptions):
    fields = ("position",)


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("text",)


# Worded by event staff in the event's languages (Event.languages); the choices' wording
# lives in Question.choice_labels (modeltranslation does not translate an ArrayField).
@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "help_text")
