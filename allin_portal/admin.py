from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from allin_portal.models import ContentBlock, ImpactIndicator, Partner, Pathway

admin.site.site_header = _("ALL-IN back office")
admin.site.site_title = _("ALL-IN back office")


@admin.register(ContentBlock)
class ContentBlockAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "updated_at"]
    search_fields = ["key", "title", "body"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # Templates look blocks up by key: renaming one would hide its text.
        return ["key", "updated_at"] if obj else ["updated_at"]


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "order"]


@admin.register(ImpactIndicator)
class ImpactIndicatorAdmin(admin.ModelAdmin):
    list_display = ["text", "term", "order"]
    list_filter = ["term"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "position", "affiliation", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "affiliation"]
