"""A group's purpose is site text, entered per language in the back office (as pages/)."""

from modeltranslation.translator import TranslationOptions, register

from groups.models import WorkingGroup


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ("purpose",)
