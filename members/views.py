import json
import unicodedata

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import F, Prefetch, Value
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, ListView
from django_countries import countries

from core.access import require, role_required
from core.countries import Region
from core.forms import form_status
from core.paginator import CountedPaginator
from core.slugs import unique_slug
from members import services
from members.directory import FACETS, cached_counts, filtered, rows, visibility_level
from members.forms import (
    ContactForm,
    DeleteAccountForm,
    DirectoryFilterForm,
    JoinForm,
    OrganizationForm,
    ProfileForm,
    ProgramForm,
)
from members.models import Member, Organization, Program, Unaccent

LIST_FIELDS = [
    "name",
    "slug",
    "position",
    "country",
    "region",
    "role_category",
    "organization__name",
    "organization__slug",
    "photo",
]


def get_member_for(user, slug):
    """The one permission-checked getter of a profile: 404 for whoever may not see it."""
    members = Member.objects.open_to(user).select_related("organization").with_expertise_names()
    return get_object_or_404(members, slug=slug)


# The directory's orders (?sort=); anything else falls back to relevance when searching,
# name otherwise.
DIRECTORY_SORTS = {
    "relevance": gettext_lazy("Best match"),
    "name": gettext_lazy("Name"),
    "newest": gettext_lazy("Newest members"),
    "country": gettext_lazy("Country"),
}


def directory_sort(params):
    searching = bool(params.get("q", "").strip())
    sort = params.get("sort", "")
    if sort not in DIRECTORY_SORTS or (sort == "relevance" and not searching):
        sort = "relevance" if searching else "name"
    return sort


class MemberListView(ListView):
    """The directory: search, combinable filters with counts, a summary line, pages."""

    template_name = "members/member_list.html"
    paginate_by = 30

    def get_queryset(self):
        self.filter_form = DirectoryFilterForm(self.request.GET or None)
        self.filters = self.filter_form.filters()
        self.counts = cached_counts(self.request.user, self.filters)
        members = (
            filtered(self.request.user, self.filters)
            .select_related("organization")
            .only(*LIST_FIELDS)
            .with_expertise_names()
        )
        self.sort = directory_sort(self.request.GET)
        if self.sort == "newest":
            return members.order_by(F("member_since").desc(nulls_last=True), "name", "pk")
        if self.sort == "country":
            return members.order_by("country", "name", "pk")
        if self.sort == "relevance" and self.filters.get("q"):
            # Best matches first (the search's own word similarity, on matching rows only).
            query = Unaccent(Value(" ".join(self.filters["q"].lower().split())))
            return members.annotate(rank=TrigramWordSimilarity(query, "search_text")).order_by(
                "-rank", "name", "pk"
            )
        return members.order_by("name", "pk")

    def get_paginator(self, queryset, per_page, **kwargs):
        return CountedPaginator(queryset, per_page, count=self.counts["total"], **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = rows(context["object_list"])
        counts, form = self.counts, self.filter_form
        facets = counts["facets"]

        def options(name, choices):
            found = facets[name]
            return [
                (value, label, found.get(value, 0))
                for value, label in choices
                if value and (found.get(value) or self.filters.get(name) == value)
            ]

        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            filters=self.filters,
            selected={name: self.filters.get(name, "") for name in FACETS},
            counts=counts,
            non_oecd_share=round(100 * counts["non_oecd"] / counts["with_country"])
            if counts["with_country"]
            else None,
            country_options=country_options(facets["country"], self.filters.get("country")),
            region_options=options("region", Region.choices),
            role_options=options("role", Member.RoleCategory.choices),
            org_type_options=options("org_type", Organization.Type.choices),
            oecd_options=options("oecd", form.fields["oecd"].choices),
            expertise_options=[
                (value, value, n)
                for value, n in sorted(
                    facets["expertise"].items(), key=lambda item: (-item[1], item[0])
                )[:40]
            ],
            query_string=query.urlencode(),
            sort=self.sort,
            filter_count=len([key for key in self.filters if key != "q"]),
            sort_options=[
                (key, label)
                for key, label in DIRECTORY_SORTS.items()
                if key != "relevance" or self.filters.get("q")
            ],
            level=visibility_level(self.request.user),
        )
        return context


def country_options(found, selected):
    """(code, translated name, count) of the countries with listed members (and the selected
    one), by name: only these names are looked up, not the 250 of a full country list."""
    codes = {code for code, n in found.items() if n} | ({selected} if selected else set())
    named = [(code, countries.name(code), found.get(code, 0)) for code in codes]
    return sorted(named, key=lambda option: (name_sort_key(option[1]), option[0]))


def name_sort_key(name):
    """A sort key that puts accented names where readers expect them (Åland near Aland)."""
    return unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().casefold()


class MemberDetailView(DetailView):
    template_name = "members/member_detail.html"

    def get_object(self):
        return get_member_for(self.request.user, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, member = self.request.user, self.object
        context["is_own"] = user.is_authenticated and member.user_id == user.pk
        context["can_contact"] = (
            not context["is_own"]
            and user.is_authenticated
            and user.has_perm("members.view_members_only_profile")
            and member.is_approved
        )
        if context["can_contact"] and member.show_email:
            context["email"] = member.user.email
        return context


class OrganizationListView(ListView):
    template_name = "members/organization_list.html"
    paginate_by = 30
    queryset = Organization.objects.prefetch_related(
        Prefetch("programs", queryset=Program.objects.only("pk", "organization_id"))
    )


def get_organization(slug, user):
    listed = Member.objects.listed_for(user).only("name", "slug", "position", "organization_id")
    organizations = Organization.objects.prefetch_related(
        "programs", Prefetch("members", queryset=listed, to_attr="listed_members")
    )
    return get_object_or_404(organizations, slug=slug)


class OrganizationDetailView(DetailView):
    template_name = "members/organization_detail.html"

    def get_object(self):
        return get_organization(self.kwargs["slug"], self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = (
            Organization.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        )
        return context


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    """Apply to join the network: profile plus a short motivation."""
    existing = Member.objects.filter(user=request.user).first()
    if existing:
        return render(request, "members/join_done.html", {"member": existing})
    form = JoinForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        member = services.apply(form=form, user=request.user)
        messages.success(request, _("Thank you: your application has been received."))
        return render(request, "members/join_done.html", {"member": member})
    return render(request, "members/join.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        return redirect("members:join")
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.save_profile(form=form, user=request.user)
        messages.success(request, _("Your profile is saved."))
        return redirect(member.get_absolute_url())
    return render(
        request,
        "members/profile_form.html",
        {"form": form, "member": member},
        status=form_status(form),
    )


@role_required("members.view_members_only_profile")
@require_http_methods(["GET", "POST"])
def contact(request, slug):
    recipient = get_object_or_404(
        Member.objects.listed_for(request.user).exclude(user=request.user).select_related("user"),
        slug=slug,
    )
    form = ContactForm(request.POST or None)
    left = services.contact_messages_left(sender=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact(sender=request.user, recipient=recipient, **form.cleaned_data)
        except services.ContactLimitReached:
            form.add_error(
                None,
                _(
                    "You have sent 20 messages in the last 24 hours, the daily limit. "
                    "Please try again tomorrow."
                ),
            )
        else:
            messages.success(
                request, _("Your message to %(name)s is sent.") % {"name": recipient.name}
            )
            return redirect(recipient.get_absolute_url())
    return render(
        request,
        "members/contact.html",
        {"form": form, "recipient": recipient, "left": left},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET"])
def own_data(request):
    data = services.export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="all-in-my-data-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user=user, requested_by=user)
        messages.success(request, _("Your account and everything in it have been deleted."))
        return redirect("home")
    return render(request, "members/delete_account.html", {"form": form}, status=form_status(form))


def get_organization_to_edit(user, slug):
    """The one permission-checked getter for editing an organization and its programs:
    404 when there is no such organization, refused (403, or sign-in for a visitor) for
    anyone but its contact."""
    organization = get_object_or_404(Organization, slug=slug)
    require(Organization.objects.editable_by(user).filter(pk=organization.pk).exists())
    return organization


@require_http_methods(["GET", "POST"])
def organization_edit(request, slug):
    """The organization's contact edits its description, website and logo."""
    organization = get_organization_to_edit(request.user, slug)
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organization is saved."))
        return redirect(organization.get_absolute_url())
    return render(
        request,
        "members/organization_form.html",
        {"form": form, "organization": organization},
        status=form_status(form),
    )


@require_http_methods(["GET", "POST"])
def program_edit(request, slug, program_slug=None):
    organization = get_organization_to_edit(request.user, slug)
    program = None
    if program_slug:
        program = get_object_or_404(organization.programs, slug=program_slug)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        program = form.save(commit=False)
        program.organization = organization
        if not program.slug:
            program.slug = unique_slug(
                Program, f"{organization.slug} {program.name}", fallback="program"
            )
        program.save()
        messages.success(request, _("The program is saved."))
        return redirect(organization.get_absolute_url())
    return render(
        request,
        "members/program_form.html",
        {"form": form, "organization": organization, "program": program},
        status=form_status(form),
    )


@require_POST
def program_delete(request, slug, program_slug):
    organization = get_organization_to_edit(request.user, slug)
    get_object_or_404(organization.programs, slug=program_slug).delete()
    messages.success(request, _("The program is deleted."))
    return redirect(reverse("members:organization", kwargs={"slug": organization.slug}))
