"""Site text entered per language in the back office (django-modeltranslation).

Each registered field gains one column per language on the same row (`body_en`, `body_fr`,
`body_ar`, `body_es`): no join, no extra query. English is the original and the fallback;
templates show text through `{% translated %}` (core/templatetags/portal.py), which
marks English fallback with lang="en".
"""

from modeltranslation.translator import TranslationOptions, register

from pages.models import ContentBlock, ImpactIndicator, JourneyStage, Partner, ReadingList


@register(ContentBlock)
class ContentBlockTranslation(TranslationOptions):
    fields = ("title", "body")


@register(ImpactIndicator)
class ImpactIndicatorTranslation(TranslationOptions):
    fields = ("text",)


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("position", "description")


@register(JourneyStage)
class JourneyStageTranslation(TranslationOptions):
    fields = ("name", "title", "narrative")


@register(ReadingList)
class ReadingListTranslation(TranslationOptions):
    fields = ("title", "intro")
