"""The pathways' text per language (django-modeltranslation; see pages/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from resources.models import Pathway


@register(Pathway)
class PathwayTranslation(TranslationOptions):
    fields = ("name", "title", "goal", "actions", "summary_goal", "summary_action", "examples")
