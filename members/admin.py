import io

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from members import csv_io, services
from members.forms import HttpsURLField, ImageFieldsMixin
from members.models import AccountDeletion, ContactMessage, Member, Organization, Program, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Name"), {"fields": ["first_name", "last_name"]}),
        (
            _("Roles"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def get_readonly_fields(self, request, obj=None):
        # Only superusers hand out superuser status or individual permissions.
        if request.user.is_superuser:
            return ["last_login", "date_joined"]
        return ["last_login", "date_joined", "is_superuser", "user_permissions"]

    def has_change_permission(self, request, obj=None):
        # A superuser's account (password, email, groups) is for superusers to change.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class ProgramInline(admin.StackedInline):
    model = Program
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class OrganizationAdminForm(ImageFieldsMixin, forms.ModelForm):
    image_fields = ("logo",)

    class Meta:
        field_classes = {"website": HttpsURLField, "logo": forms.FileField}


class MemberAdminForm(ImageFieldsMixin, forms.ModelForm):
    image_fields = ("photo",)

    class Meta:
        field_classes = {
            "website": HttpsURLField,
            "linkedin": HttpsURLField,
            "photo": forms.FileField,
        }


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("members", _("Members")), ("organizations", _("Organizations"))],
    )
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check and preview, save nothing"), required=False, initial=True
    )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "type", "country", "website", "contact"]
    list_filter = ["type", ("country", CountryFilter)]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["contact"]
    list_select_related = ["contact"]
    inlines = [ProgramInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            for member in obj.members.select_related("organization"):
                member.refresh_search_text()


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "audience", "format", "leaders_per_year", "featured"]
    list_filter = ["featured", "format"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    form = MemberAdminForm
    change_list_template = "admin/members/member/change_list.html"
    list_display = [
        "name",
        "user",
        "organization",
        "country",
        "region",
        "role_category",
        "status",
        "visibility",
        "member_since",
    ]
    list_select_related = ["user", "organization"]
    list_filter = [
        "status",
        "visibility",
        "role_category",
        "region",
        "oecd",
        ("country", CountryFilter),
        "organization__type",
    ]
    search_fields = ["name", "user__email", "organization__name", "position"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["region", "oecd", "applied_at", "decided_at"]
    list_per_page = 50
    actions = ["approve_selected", "reject_selected", "lapse_selected", "export_selected"]

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="members_member_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="members_member_export",
            ),
        ] + super().get_urls()

    def save_model(self, request, obj, form, change):
        # A status change goes through the services: group membership and emails follow.
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if change and new_status != obj.status:
            decide = {
                Member.Status.APPROVED: services.approve,
                Member.Status.REJECTED: services.reject,
                Member.Status.LAPSED: services.lapse,
            }.get(new_status)
            if decide:
                decide(member=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()

    def _decide(self, request, queryset, decide, done_message):
        done = 0
        with transaction.atomic():
            for member in queryset.select_related("user"):
                done += decide(member=member, by=request.user)
        self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Approve the selected members (emails them)"))
    def approve_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.approve,
            lambda n: ngettext("%d member approved.", "%d members approved.", n) % n,
        )

    @admin.action(description=_("Reject the selected applications (emails them)"))
    def reject_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.reject,
            lambda n: ngettext("%d application rejected.", "%d applications rejected.", n) % n,
        )

    @admin.action(description=_("Mark the selected memberships as lapsed"))
    def lapse_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.lapse,
            lambda n: ngettext("%d membership lapsed.", "%d memberships lapsed.", n) % n,
        )

    @admin.action(description=_("Export the selected members as CSV"))
    def export_selected(self, request, queryset):
        return self._csv_response(queryset)

    def _csv_response(self, queryset):
        out = io.StringIO()
        csv_io.export_csv(queryset, out)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
        return response

    def export_view(self, request):
        """The changelist as it is filtered and searched, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self._csv_response(changelist.get_queryset(request))

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = csv_io.import_csv(
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                dry_run=form.cleaned_data["dry_run"],
                by=request.user,
            )
            if result.saved:
                self.message_user(
                    request,
                    _("Imported: %(created)d created, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                    messages.SUCCESS,
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import members or organizations from CSV"),
            "form": form,
            "result": result,
            "preview": result.rows[:20] if result else [],
            "member_columns": ", ".join(csv_io.MEMBER_COLUMNS),
            "organization_columns": ", ".join(csv_io.ORGANIZATION_COLUMNS),
            "changelist_url": reverse("admin:members_member_changelist"),
        }
        return TemplateResponse(request, "admin/members/member/import.html", context)


@admin.register(AccountDeletion)
class AccountDeletionAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "requested_by_email", "requested_at"]
    search_fields = ["email", "name", "requested_by_email"]
    readonly_fields = ["email", "name", "requested_by", "requested_by_email", "requested_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Who wrote to whom and when (the text is never stored): for spotting abuse."""

    list_display = ["sender", "recipient", "sent_at"]
    list_select_related = ["sender", "recipient"]
    search_fields = ["sender__email", "recipient__name"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
