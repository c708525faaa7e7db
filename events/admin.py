from django.contrib import admin
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.forms import URL_FIELDS_ASSUME_HTTPS
from events.models import AgendaItem, Event, EventPerson, EventPhoto, Outcome, Registration


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0


class EventPersonInline(TranslationTabularInline):
    model = EventPerson
    extra = 0
    autocomplete_fields = ["member"]


class OutcomeInline(TranslationTabularInline):
    model = Outcome
    extra = 0


class EventPhotoInline(admin.TabularInline):
    model = EventPhoto
    extra = 0


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["title", "starts_at", "series", "city", "country", "format", "status"]
    list_filter = ["series", "status", "format", ("country", CountryFilter)]
    search_fields = ["title", "host_forum", "city", "summary"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgendaItemInline, EventPersonInline, OutcomeInline, EventPhotoInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "series", "host_forum", "status"]}),
        ("Where", {"fields": ["format", "city", "country", "venue", "online_link"]}),
        (
            "Registration",
            {
                "fields": [
                    "capacity",
                    "registration_opens",
                    "registration_closes",
                    "guests_allowed",
                    "registration_policy",
                    "languages",
                    "reminder_days",
                ]
            },
        ),
        (
            "Feedback and certificates",
            {
                "fields": [
                    "survey_open",
                    "survey_anonymous_allowed",
                    "certificates_enabled",
                    "hours",
                    "signatory_name",
                    "signatory_title",
                    "certificate_logo",
                ]
            },
        ),
        ("When", {"fields": ["starts_at", "ends_at", "timezone", "date_precision"]}),
        ("About", {"fields": ["summary", "description", "source_note", "note"]}),
        (
            "Reported participation",
            {
                "fields": [
                    "reported_participants",
                    "participants_at_least",
                    "reported_countries",
                    "reported_continents",
                    "participants_from",
                ]
            },
        ),
    ]


@admin.register(EventPerson)
class EventPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organization", "event"]
    list_select_related = ["event"]
    list_filter = ["role"]
    search_fields = ["name", "organization", "event__title"]
    autocomplete_fields = ["member", "event"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read and correct registrations; places change through the event staff pages."""

    list_display = ["name", "email", "event", "status", "checked_in_at", "no_show", "listed"]
    list_select_related = ["event"]
    list_filter = ["status", "no_show", "listed"]
    search_fields = ["name", "email", "organization", "event__title"]
    # Who and which event are fixed: moving a registration would skip the capacity check.
    readonly_fields = [
        "event",
        "user",
        "status",
        "waitlisted_at",
        "cancelled_at",
        "created_at",
        "registered_by",
        "hold_expires_at",
        "email_confirmed_at",
    ]

    def has_add_permission(self, request):
        return False  # registrations are made through the event pages (under the row lock)
