from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from core.forms import URL_FIELDS_ASSUME_HTTPS
from resources import services
from resources.models import (
    AbstractTranslation,
    CaseStudy,
    FileVersion,
    Pathway,
    Resource,
    StatusChange,
    TopicTranslation,
)


class FileVersionInline(admin.TabularInline):
    model = FileVersion
    extra = 0
    fields = ["number", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


class AbstractTranslationInline(admin.StackedInline):
    model = AbstractTranslation
    extra = 0
    fields = ["language", "title", "text"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["title", "type", "access", "pathway", "publication_year", "created_at"]
    list_filter = ["type", "access", "pathway", "language", "is_published"]
    search_fields = ["title", "authors", "publisher", "abstract"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_event", "author_members"]
    date_hierarchy = "created_at"
    exclude = ["file"]
    readonly_fields = ["download_count", "is_published"]
    inlines = [AbstractTranslationInline, FileVersionInline]

    def save_model(self, request, obj, form, change):
        services.derive_fields(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Topics are saved here, after the record: refresh the search vector last.
        super().save_related(request, form, formsets, change)
        services.update_search_vectors(ids=[form.instance.pk])


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["at", "by", "from_status", "to_status", "comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["resource", "status", "country", "updated_at"]
    list_filter = ["status"]
    search_fields = ["resource__title"]
    autocomplete_fields = ["resource", "researchers", "program", "organization"]
    readonly_fields = ["status"]
    inlines = [StatusChangeInline]


@admin.register(Pathway)
class PathwayAdmin(TranslationAdmin):
    list_display = ["name", "title", "order"]


@admin.register(TopicTranslation)
class TopicTranslationAdmin(admin.ModelAdmin):
    list_display = ["tag", "language", "name"]
    list_filter = ["language"]
    search_fields = ["tag__name", "name"]
    autocomplete_fields = ["tag"]
