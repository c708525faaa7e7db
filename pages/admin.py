from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from pages.models import (
    ContentBlock,
    ImpactIndicator,
    JourneyStage,
    Partner,
    ReadingList,
    ReadingListItem,
)

admin.site.site_header = _("ALL-IN back office")
admin.site.site_title = _("ALL-IN back office")


@admin.register(ContentBlock)
class ContentBlockAdmin(TranslationAdmin):
    list_display = ["key", "title", "updated_at"]
    search_fields = ["key", "title", "body"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # Templates look blocks up by key: renaming one would hide its text.
        return ["key", "updated_at"] if obj else ["updated_at"]


class ImpactIndicatorForm(forms.ModelForm):
    measures = forms.MultipleChoiceField(
        label=_("measures"),
        choices=ImpactIndicator.Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Figures computed from the portal's data. None: not measurable here."),
    )

    class Meta:
        model = ImpactIndicator
        fields = ["term", "order", "text", "measures", "measurement_note", "evidence_links"]


@admin.register(ImpactIndicator)
class ImpactIndicatorAdmin(TranslationAdmin):
    form = ImpactIndicatorForm
    list_display = ["text", "term", "order", "measurable"]
    list_filter = ["term"]

    @admin.display(boolean=True, description=_("measured"))
    def measurable(self, obj):
        return obj.measurable


@admin.register(JourneyStage)
class JourneyStageAdmin(TranslationAdmin):
    list_display = ["name", "title", "order"]
    autocomplete_fields = ["events"]


class ReadingListItemInline(admin.TabularInline):
    model = ReadingListItem
    fields = ["order", "resource", "event"]
    raw_id_fields = ["resource", "event"]
    extra = 1


@admin.register(ReadingList)
class ReadingListAdmin(TranslationAdmin):
    list_display = ["title", "page", "order"]
    list_filter = ["page"]
    inlines = [ReadingListItemInline]


@admin.register(Partner)
class PartnerAdmin(TranslationAdmin):
    list_display = ["name", "kind", "position", "affiliation", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "affiliation"]
