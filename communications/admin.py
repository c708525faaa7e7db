from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from communications import announcements
from communications.models import Announcement, AnnouncementTranslation, DigestRun
from mail import outbox
from mail.models import Message, Subscription
from members.models import User
from members.protection import AccountGuardMixin, protected_q


@admin.register(Message)
class MessageAdmin(AccountGuardMixin, admin.ModelAdmin):
    """The outbox: every email, its state and last error; failed ones can be sent again.

    Emails to protected accounts (staff, superusers) are left out for other back-office
    users, found by account or by address (a password reset names only the address); the
    text of emails that carry a sign-in secret is shown to nobody."""

    list_display = [
        "subject",
        "to",
        "kind",
        "language",
        "state",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["state", "kind", "language", "template"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    list_select_related = False
    show_full_result_count = False
    actions = ["send_again"]
    readonly_fields = [f.name for f in Message._meta.fields]

    # Shown only for emails without a sign-in secret: no list filters or searches them.
    hidden_fields = ("body", "html", "attachments")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def guarded(self, request, queryset):
        queryset = super().guarded(request, queryset)
        if request.user.is_superuser:
            return queryset
        same_address = {"email__lower_exact": OuterRef("to")}
        return queryset.exclude(Exists(User.objects.filter(protected_q(), **same_address))).exclude(
            Exists(EmailAddress.objects.filter(protected_q("user__"), **same_address))
        )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.carries_secret:
            fields = [name for name in fields if name not in self.hidden_fields]
        return fields

    @admin.action(description=_("Send again (failed or stuck emails)"), permissions=["view"])
    def send_again(self, request, queryset):
        count = outbox.resend(queryset)
        self.message_user(request, gettext("%(count)s emails queued again.") % {"count": count})


class ChoicesArrayField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class AnnouncementForm(forms.ModelForm):
    statuses = ChoicesArrayField(
        label=_("membership status"),
        required=False,
        choices=Announcement._meta.get_field("statuses").base_field.choices,
    )
    regions = ChoicesArrayField(
        label=_("regions"),
        required=False,
        choices=Announcement._meta.get_field("regions").base_field.choices,
    )
    organization_types = ChoicesArrayField(
        label=_("organization types"),
        required=False,
        choices=Announcement._meta.get_field("organization_types").base_field.choices,
    )
    countries = forms.MultipleChoiceField(
        label=_("countries"), required=False, choices=list(countries)
    )

    class Meta:
        model = Announcement
        fields = [
            "kind",
            "subject",
            "body",
            "language",
            "featured_event",
            "featured_resource",
            "groups",
            "statuses",
            "regions",
            "countries",
            "oecd",
            "organization_types",
            "expertise",
            "event",
            "event_audience",
            "send_at",
        ]


class TranslationInline(admin.StackedInline):
    model = AnnouncementTranslation
    extra = 0


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Compose, choose the audience, see its exact size, test, then send now or at a time."""

    form = AnnouncementForm
    change_form_template = "admin/communications/announcement/change_form.html"
    list_display = ["subject", "kind", "state", "send_at", "recipients_count", "queued_at"]
    list_filter = ["state", "kind"]
    search_fields = ["subject", "body"]
    inlines = [TranslationInline]
    autocomplete_fields = ["featured_event", "featured_resource", "event"]
    filter_horizontal = ["groups", "expertise"]
    readonly_fields = ["state", "recipients_count", "queued_at", "created_by", "delivery"]
    fieldsets = [
        (None, {"fields": ["kind", "subject", "body", "language"]}),
        (_("Featured"), {"fields": ["featured_event", "featured_resource"]}),
        (
            _("Audience (each filter set narrows it; several values of one filter widen it)"),
            {
                "fields": [
                    "groups",
                    "statuses",
                    "regions",
                    "countries",
                    "oecd",
                    "organization_types",
                    "expertise",
                    "event",
                    "event_audience",
                ]
            },
        ),
        (
            _("Sending"),
            {"fields": ["send_at", "state", "recipients_count", "queued_at", "delivery"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj and obj.state != Announcement.State.DRAFT:
            # Sent or scheduled: the text and audience stay as they went out.
            fields += [f for f in self.form.base_fields if f not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("delivery"))
    def delivery(self, obj):
        if not obj.pk or obj.state == Announcement.State.DRAFT:
            return "—"
        f = announcements.figures(obj)
        return (
            gettext(
                "%(queued)s queued, %(sent)s sent, %(failed)s failed, "
                "%(unsubscribed)s unsubscribed since"
            )
            % f
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj and obj.pk:
            context["recipient_count"] = announcements.count(obj)
            context["has_audience"] = announcements.has_audience(obj)
            context["is_draft"] = obj.state == Announcement.State.DRAFT
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_send_test" in request.POST:
            announcements.send_test(announcement=obj, to=request.user)
            self.message_user(
                request, gettext("A test was sent to %(email)s.") % {"email": request.user.email}
            )
            return HttpResponseRedirect(request.path)
        if "_send" in request.POST and obj.state == Announcement.State.DRAFT:
            # Saved; sending is a second, explicit step on the confirmation page.
            return HttpResponseRedirect(
                reverse("admin:communications_announcement_send", args=[obj.pk])
            )
        return super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/send/",
                self.admin_site.admin_view(self.send_view),
                name="communications_announcement_send",
            ),
        ] + super().get_urls()

    def send_view(self, request, object_id):
        """Confirm sending: how many people, in which languages; POST `confirm` sends.
        The figures come from the rows sending writes; if they changed since the page was
        shown (`expected`), nothing is sent and the new figures are shown."""
        obj = self.get_object(request, str(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:communications_announcement_change", args=[obj.pk])
        if obj.state != Announcement.State.DRAFT:
            self.message_user(request, gettext("This announcement is no longer a draft."))
            return HttpResponseRedirect(change_url)
        if not announcements.has_audience(obj):
            self.message_user(request, gettext("Choose an audience first."), level=messages.ERROR)
            return HttpResponseRedirect(change_url)
        by_language = announcements.languages(obj)
        total = sum(by_language.values())
        when = obj.send_at if obj.send_at and obj.send_at > timezone.now() else None
        changed = False
        if request.method == "POST" and "confirm" in request.POST:
            if request.POST.get("expected") == str(total):
                with transaction.atomic():
                    # Two confirmations at once (a double click): the first one sends.
                    draft = (
                        Announcement.objects.select_for_update()
                        .filter(pk=obj.pk, state=Announcement.State.DRAFT)
                        .first()
                    )
                    if draft:
                        announcements.schedule(announcement=draft, send_at=when)
                if when:
                    text = gettext("Scheduled for %(when)s.") % {"when": when}
                else:
                    text = gettext("Sending now to %(count)s people.") % {"count": total}
                self.message_user(request, text)
                return HttpResponseRedirect(change_url)
            changed = True
        names = dict(settings.LANGUAGES)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": gettext("Send “%(subject)s”?") % {"subject": obj.subject},
            "total": total,
            "languages": sorted(
                ((names.get(code, code), n) for code, n in by_language.items()),
                key=lambda item: (-item[1], str(item[0])),
            ),
            "when": when,
            "changed": changed,
            "change_url": change_url,
        }
        return TemplateResponse(
            request,
            "admin/communications/announcement/send.html",
            context,
            status=409 if changed else 200,
        )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "subscribed", "changed_at"]
    list_filter = ["kind", "subscribed"]
    search_fields = ["email"]


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["week", "ran_at", "items", "recipients"]

    def has_add_permission(self, request):
        return False
