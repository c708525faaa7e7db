from django.contrib import admin

from resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "access", "pathway", "publication_year", "created_at"]
    list_filter = ["type", "access", "pathway", "language"]
    search_fields = ["title", "authors", "publisher", "abstract"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_event"]
    date_hierarchy = "created_at"
