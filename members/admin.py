from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, Value
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from core.forms import HttpsURLField
from core.spreadsheets import csv_download
from imports import importjobs
from members import csv_io, services
from members.forms import ImageFieldsMixin
from members.models import (
    AccountDeletion,
    ContactMessage,
    Member,
    Organization,
    Program,
    Unaccent,
    User,
)
from members.protection import AccountGuardMixin, assignable_groups
from members.tasks import run_member_import


@admin.register(User)
class UserAdmin(AccountGuardMixin, DjangoUserAdmin):
    """Accounts. Staff and superuser accounts are visible and changeable by superusers only
    (members/protection.py); the Members group follows the membership status alone."""

    account_field = ""
    hidden_fields = ("password",)
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
        # Only superusers hand out back-office access, superuser status or single permissions.
        if request.user.is_superuser:
            return ["last_login", "date_joined"]
        return ["last_login", "date_joined", "is_staff", "is_superuser", "user_permissions"]

    def assignable_groups(self, request):
        return assignable_groups(request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = self.assignable_groups(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        kept = []
        if change:
            # Groups not offered on the form stay as they were.
            offered = self.assignable_groups(request)
            kept = list(form.instance.groups.exclude(pk__in=offered.values("pk")))
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*kept)
        services.sync_member_group(form.instance)


# allauth's email addresses, behind the same guard: a network admin can neither see nor
# add an address to a staff or superuser account (an address is a password reset away
# from the account).
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class GuardedEmailAddressAdmin(AccountGuardMixin, EmailAddressAdmin):
    raw_id_fields = ()
    autocomplete_fields = ["user"]


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
    # Set per request by MemberAdmin.get_form: whose rights decide the roles offered.
    acting_user = None

    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Members follows the membership status by itself. Network admins also get "
            "back-office access."
        ),
    )

    class Meta:
        field_classes = {
            "website": HttpsURLField,
            "linkedin": HttpsURLField,
            "photo": forms.FileField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = assignable_groups(self.acting_user) if self.acting_user else Group.objects.none()
        self.fields["roles"].queryset = offered
        if self.instance.pk and self.instance.user_id:
            self.initial["roles"] = list(
                self.instance.user.groups.filter(pk__in=offered.values("pk")).values_list(
                    "pk", flat=True
                )
            )


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
class MemberAdmin(AccountGuardMixin, admin.ModelAdmin):
    # Staff members' profiles stay visible to network admins, read-only: their status
    # decides a staff account's groups.
    hide_protected = False
    form = MemberAdminForm
    change_list_template = "admin/members/member/change_list.html"
    # Status first (approvals need it), and few enough columns to fit 1280 px; the email,
    # region and role are on the record and in the filters.
    list_display = [
        "status",
        "name",
        "organization",
        "country_name",
        "visibility",
        "applied_at",
        "member_since",
    ]
    list_display_links = ["name"]
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
    # No second COUNT(*) of the whole table next to the filtered one.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["region", "oecd", "applied_at", "decided_at"]
    list_per_page = 50
    actions = ["approve_selected", "reject_selected", "lapse_selected", "export_selected"]

    def get_search_results(self, request, queryset, search_term):
        """Each word in the member's unaccented search text (name, position, organization,
        country, expertise: `member_search_idx`) or in the account's email
        (`user_email_upper_trgm_idx`), instead of Django's UPPER(...) LIKE over four columns
        of three tables, which no index serves."""
        for word in smart_split(search_term):
            word = unescape_string_literal(word) if word[:1] in "\"'" else word
            word = " ".join(word.lower().split())[:100]
            if not word:
                continue
            emails = User.objects.filter(email__icontains=word).values("pk")
            queryset = queryset.filter(
                Q(search_text__contains=Unaccent(Value(word))) | Q(user_id__in=emails)
            )
        return queryset, False

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, member):
        # The column by name: listing the field itself made the admin normalize the
        # 250-country choice list once per row (about 0.3 s for 50 rows).
        return member.country.name

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
        # A profile added as approved (or any other edit) ends with the one membership rule.
        services.sync_member_group(obj.user_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.sync_member_group(obj.user_id)

    def delete_queryset(self, request, queryset):
        user_ids = list(self.guarded(request, queryset).values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)
        services.sync_member_groups(user_ids)

    def get_ordering(self, request):
        # Pending applications: the longest waiting first.
        if request.GET.get("status__exact") == Member.Status.APPLIED:
            return ["applied_at", "pk"]
        return super().get_ordering(request)

    @admin.display(description=_("Roles"))
    def roles(self, obj):
        """The roles, read-only (a staff member's record seen by a network admin)."""
        if obj is None or not obj.user_id:
            return ""
        return ", ".join(obj.user.groups.order_by("name").values_list("name", flat=True))

    def get_fields(self, request, obj=None):
        # The roles next to the membership status and visibility: the decisions together.
        fields = [f for f in super().get_fields(request, obj) if f != "roles"]
        fields.insert(fields.index("visibility") + 1, "roles")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()
        if "roles" in form.cleaned_data:
            services.set_roles(
                user=form.instance.user,
                roles=form.cleaned_data["roles"],
                offered=assignable_groups(request.user),
            )

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
        stamp = timezone.localdate().isoformat()
        return csv_download(csv_io.export_rows(queryset), f"members-{stamp}.csv")

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
        status = 400 if request.method == "POST" else 200
        if request.method == "POST" and form.is_valid():
            status = 200
            upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
            result = csv_io.check_file(upload, kind, by=request.user)
            if result.errors:
                status = 400
            elif not form.cleaned_data["dry_run"]:
                if importjobs.needs_background(len(result.rows)):
                    # Too many rows for one request: the task queue saves them.
                    job = importjobs.start(
                        upload=upload,
                        task=run_member_import,
                        kind=kind,
                        title=ngettext(
                            "%(n)s row from %(file)s", "%(n)s rows from %(file)s", len(result.rows)
                        )
                        % {"n": f"{len(result.rows):,}", "file": upload.name[:200]},
                        by=request.user,
                        total_rows=len(result.rows),
                        next_url=reverse(
                            "admin:members_member_changelist"
                            if kind == "members"
                            else "admin:members_organization_changelist"
                        ),
                    )
                    return redirect("import_job", pk=job.pk)
                csv_io.save(result, request.user)
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
            # The first problems (a 20,000-row file can have more than a page can show).
            "errors": result.errors[:500] if result else [],
            "member_columns": ", ".join(csv_io.MEMBER_COLUMNS),
            "organization_columns": ", ".join(csv_io.ORGANIZATION_COLUMNS),
            "changelist_url": reverse("admin:members_member_changelist"),
        }
        return TemplateResponse(request, "admin/members/member/import.html", context, status=status)


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
    readonly_fields = ["sender", "recipient", "sent_at"]
    list_select_related = ["sender", "recipient"]
    search_fields = ["sender__email", "recipient__name"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
