"""Organization and program text given by staff, per language (see allin_portal/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from members.models import Organization, Program


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("description",)


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("audience", "description")
