"""The library (search, record, files, citations, feed) and case studies (list, form, review)."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import F, Max, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from core.access import require, role_required
from core.forms import form_status
from core.slugs import unique_slug
from resources import citations, search, services
from resources.forms import CaseStudyForm, CommentForm
from resources.models import CaseStudy, Resource, StatusChange, UsageByYear

# A plain list per row: taggit's manager costs a queryset per row otherwise.
TOPICS = search.TOPICS
RELATED_LIMIT = 5


def access_key(user):
    """What a user may see, for cache keys: the same key means the same visible set."""
    if not user.is_authenticated:
        return "visitor"
    members_only = user.has_perm("resources.view_members_only_resource")
    if user.has_perm("resources.review_case_study"):
        return f"reviewer:{members_only}"
    # Anyone named on a case study sees its draft, whatever their groups say.
    if user.has_perm("resources.submit_case_study") or user.case_studies.exists():
        return f"researcher:{user.pk}"
    return "member" if members_only else "visitor"


class ResourceListView(TemplateView):
    """The library: full-text search with facets over what the user may see."""

    template_name = "resources/resource_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        query = search.Search.from_params(self.request.GET)
        context = search.run(query, Resource.objects.visible_to(user), access_key(user))
        return super().get_context_data(search=query, **context, **kwargs)


def get_resource_for(user, slug, *, in_full=False):
    """The one permission-checked getter of a library record. 404 for a record the user may
    not know exists (someone else's draft); `in_full` (the file, citations) also refuses a
    members-only record to non-members: 403, or the sign-in page for a visitor."""
    resource = get_object_or_404(
        Resource.objects.previewable_by(user).select_related(
            "related_event", "case_study__program", "case_study__organization"
        ),
        slug=slug,
    )
    if in_full:
        require(Resource.objects.visible_to(user).filter(pk=resource.pk).exists())
    return resource


class ResourceDetailView(DetailView):
    template_name = "resources/resource_detail.html"
    context_object_name = "resource"

    def get_object(self, queryset=None):
        resource = get_resource_for(self.request.user, self.kwargs["slug"])
        resource.topic_list = list(resource.topics.all())
        return resource

    def get_context_data(self, **kwargs):
        resource = self.object
        user = self.request.user
        # The library's own verb, as its listings, the sitemap and OAI-PMH: what this user
        # may see in full also decides whether the page carries scholarly metadata.
        full_access = Resource.objects.visible_to(user).filter(pk=resource.pk).exists()
        related = []
        if full_access:
            # Walks resource_year_idx newest first and stops at the fifth resource sharing a
            # topic. The content type is given by id (Django caches it): a join to
            # django_content_type made PostgreSQL expect 30 times fewer tagged rows and sort
            # every resource of the common topics instead (0.2-0.4 s at 50,000 resources).
            related = list(
                Resource.objects.visible_to(user)
                .exclude(pk=resource.pk)
                .filter(
                    pk__in=Resource.topics.through.objects.filter(
                        tag__in=[t.pk for t in resource.topic_list],
                        content_type_id=ContentType.objects.get_for_model(Resource).pk,
                    ).values("object_id")
                )
                .only("title", "slug", "type", "publication_year")
                .order_by("-publication_year", "title")[:RELATED_LIMIT]
            )
        case_study = (
            getattr(resource, "case_study", None) if resource.type == "case_study" else None
        )
        here = get_language()
        translated_title, translated_abstract = (
            resource.abstract_translations.filter(language=here)
            .values_list("title", "text")
            .first()
            if resource.abstract and here != resource.language
            else None
        ) or (None, None)
        return super().get_context_data(
            full_access=full_access,
            translated_title=translated_title,
            translated_abstract=translated_abstract,
            citation=citations.reference(resource, self.request.build_absolute_uri("/")[:-1]),
            related=related,
            case_study=case_study,
            authors_members=list(resource.author_members.all()) if full_access else [],
            **kwargs,
        )


@require_GET
def download(request, slug, number=None):
    """A resource's file, as an attachment, for those who may see the resource in full."""
    if number is None:
        resource = get_resource_for(request.user, slug, in_full=True)
        if not resource.file:
            raise Http404
        stored = resource.file
    else:
        # Earlier versions: only the researchers and reviewers of a case study.
        resource = get_case_study_for(request.user, slug).resource
        stored = get_object_or_404(resource.file_versions, number=number).file
    services.count_download(resource=resource)
    filename = f"{resource.slug}.pdf" if number is None else f"{resource.slug}-v{number}.pdf"
    return _deliver(stored, filename)


def _deliver(stored, filename):
    content_type = mimetypes.types_map[".pdf"]
    disposition = f'attachment; filename="{filename}"'
    if settings.FILE_DELIVERY == "django":
        response = FileResponse(stored.open("rb"), as_attachment=True, filename=filename)
        response["Content-Type"] = content_type
        return response
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = disposition
    if settings.FILE_DELIVERY == "x-accel-redirect":
        response["X-Accel-Redirect"] = settings.RESOURCE_FILES_INTERNAL_URL + stored.name
    else:
        response["X-Sendfile"] = stored.path
    return response


@require_GET
def cite(request, slug, fmt):
    if fmt not in ("bib", "ris"):
        raise Http404
    resource = get_resource_for(request.user, slug, in_full=True)
    resource.topic_list = list(resource.topics.all())
    services.count_use(UsageByYear.Kind.CITATION_EXPORT)
    return _citation_response(request, [resource], fmt, resource.slug)


@require_GET
def export(request, fmt):
    if fmt not in ("bib", "ris"):
        raise Http404
    query = search.Search.from_params(request.GET)
    rows = search.export_rows(query, Resource.objects.visible_to(request.user))
    services.count_use(UsageByYear.Kind.CITATION_EXPORT)
    return _citation_response(request, rows, fmt, "resources")


def _citation_response(request, rows, fmt, name):
    if fmt not in ("bib", "ris"):
        raise Http404
    base = request.build_absolute_uri("/")[:-1]
    if fmt == "bib":
        body = "\n".join(citations.bibtex(r, base) for r in rows)
        content_type = "application/x-bibtex; charset=utf-8"
    else:
        body = "".join(citations.ris(r, base) for r in rows)
        content_type = "application/x-research-info-systems; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


class NewResourcesFeed(Feed):
    """An Atom feed of the newest public resources (published ones only)."""

    feed_type = Atom1Feed
    title = gettext_lazy("ALL-IN: new resources")
    subtitle = gettext_lazy("New public resources in the ALL-IN library.")
    link = reverse_lazy("resources:list")

    def items(self):
        # Public and cached by feed readers: always what a visitor sees.
        return Resource.objects.visible_to(AnonymousUser()).order_by("-created_at")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.abstract

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.authors or item.publisher or None


# Case studies ---------------------------------------------------------------------------------


class CaseStudyListView(ListView):
    template_name = "resources/case_study_list.html"
    paginate_by = 20
    queryset = (
        Resource.objects.case_studies()
        .filter(case_study__status=CaseStudy.Status.PUBLISHED)
        .select_related("case_study__program", "case_study__organization")
        .prefetch_related(TOPICS)
        .order_by("-created_at", "title")
    )


class CaseStudyDetailView(ResourceDetailView):
    template_name = "resources/case_study_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except CaseStudy.DoesNotExist:
            # A resource typed "case study" without the review record (e.g. loaded data).
            return redirect("resources:detail", slug=kwargs["slug"])

    def get_object(self, queryset=None):
        resource = super().get_object(queryset)
        if resource.type != Resource.Type.CASE_STUDY:
            raise Http404
        resource.case_study  # noqa: B018 - raises CaseStudy.DoesNotExist when missing
        return resource

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case_study = self.object.case_study
        user = self.request.user
        reviewer = services.is_reviewer(user)
        researcher = services.is_researcher_of(case_study, user)
        context.update(
            is_reviewer=reviewer,
            is_researcher=researcher,
            researchers=list(case_study.researchers.select_related("member")),
        )
        if reviewer or researcher:
            context.update(
                history=list(
                    StatusChange.objects.filter(case_study=case_study).select_related("by__member")
                ),
                versions=list(self.object.file_versions.all()),
                actions=_actions_for(case_study, user),
                comment_form=CommentForm(),
            )
        return context


ACTION_LABELS = {
    "submit": gettext_lazy("Submit for review"),
    "start_review": gettext_lazy("Start the review"),
    "request_changes": gettext_lazy("Request changes"),
    "publish": gettext_lazy("Publish"),
    "archive": gettext_lazy("Archive"),
}


def _actions_for(case_study, user):
    actions = []
    for action, (allowed_from, _to, role) in services.TRANSITIONS.items():
        if case_study.status not in allowed_from:
            continue
        if role == "reviewer" and services.is_reviewer(user):
            actions.append((action, ACTION_LABELS[action]))
        elif role == "researcher" and services.is_researcher_of(case_study, user):
            actions.append((action, ACTION_LABELS[action]))
    return actions


def get_case_study_for(user, slug, *, edit=False):
    """The one permission-checked getter of a case study's workflow (actions, edit, earlier
    files). 404 for a draft the user may not know exists; a case study the user can read
    but neither researches nor reviews is refused (403, or sign-in for a visitor); `edit`
    is for its researchers only."""
    resource = get_object_or_404(
        Resource.objects.previewable_by(user).filter(type=Resource.Type.CASE_STUDY), slug=slug
    )
    case_study = getattr(resource, "case_study", None)
    if case_study is None:
        raise Http404
    researcher = services.is_researcher_of(case_study, user)
    require(researcher if edit else researcher or services.is_reviewer(user))
    return case_study


RESERVED_SLUGS = {"new", "mine", "review", "feed"}


def _case_study_form(request, case_study=None):
    """The form as posted; after "Find", the same values unsaved and unchecked, with the
    program or organization search's matches as choices (no JavaScript needed)."""
    user = request.user
    if request.method == "POST" and "find" in request.POST:
        form = CaseStudyForm(initial=request.POST.dict(), case_study=case_study, user=user)
        form.keep_upload(data=request.POST, files=request.FILES)  # a search keeps the PDF too
        return form
    return CaseStudyForm(
        request.POST or None, request.FILES or None, case_study=case_study, user=user
    )


@role_required("resources.submit_case_study")
def case_study_create(request):
    form = _case_study_form(request)
    if request.method == "POST" and "find" not in request.POST and form.is_valid():
        resource = Resource(
            slug=unique_slug(
                Resource, form.cleaned_data["title"], fallback="case-study", reserved=RESERVED_SLUGS
            )
        )
        case_study = CaseStudy()
        form.apply(case_study, resource)
        case_study = services.create_case_study(
            resource=resource,
            case_study=case_study,
            by=request.user,
            topics=form.cleaned_data["topics"],
            upload=form.chosen_file(),
        )
        form.forget_pending()
        if form.submitting:
            services.transition(case_study=case_study, action="submit", by=request.user)
            messages.success(request, _("Your case study was submitted for review."))
        else:
            messages.success(request, _("Your draft was saved."))
        return redirect(case_study.get_absolute_url())
    if request.method == "POST":
        form.keep_upload()
    return render(
        request, "resources/case_study_form.html", {"form": form}, status=form_status(form)
    )


def case_study_edit(request, slug):
    case_study = get_case_study_for(request.user, slug, edit=True)
    if not case_study.editable:
        messages.error(request, _("This case study cannot be edited in its current status."))
        return redirect(case_study.get_absolute_url())
    form = _case_study_form(request, case_study)
    if request.method == "POST" and "find" not in request.POST and form.is_valid():
        form.apply(case_study, case_study.resource)
        services.update_case_study(
            case_study=case_study,
            by=request.user,
            topics=form.cleaned_data["topics"],
            upload=form.chosen_file(),
        )
        form.forget_pending()
        if form.submitting:
            services.transition(case_study=case_study, action="submit", by=request.user)
            messages.success(request, _("Your case study was submitted for review."))
        else:
            messages.success(request, _("Your changes were saved."))
        return redirect(case_study.get_absolute_url())
    if request.method == "POST":
        form.keep_upload()
    return render(
        request,
        "resources/case_study_form.html",
        {"form": form, "case_study": case_study},
        status=form_status(form),
    )


@require_POST
def case_study_action(request, slug, action):
    case_study = get_case_study_for(request.user, slug)
    if action not in services.TRANSITIONS and action != "comment":
        raise Http404
    form = CommentForm(request.POST)
    text = form.cleaned_data["comment"] if form.is_valid() else ""
    if action == "comment":
        if not text:
            messages.error(request, _("Write a comment first."))
        else:
            services.comment(case_study=case_study, by=request.user, text=text)
            messages.success(request, _("Your comment was added."))
        return redirect(case_study.get_absolute_url())
    if action == "request_changes" and not text:
        messages.error(request, _("Say what should change in the comment."))
        return redirect(case_study.get_absolute_url())
    try:
        services.transition(case_study=case_study, action=action, by=request.user, comment=text)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Done: the case study is now %(status)s.")
            % {"status": CaseStudy.objects.get(pk=case_study.pk).get_status_display()},
        )
    return redirect(case_study.get_absolute_url())


@method_decorator(login_required, name="dispatch")
class MyCaseStudiesView(ListView):
    template_name = "resources/case_study_mine.html"
    context_object_name = "case_studies"

    def get_queryset(self):
        return CaseStudy.objects.filter(researchers=self.request.user).select_related("resource")


@method_decorator(role_required("resources.review_case_study"), name="dispatch")
class ReviewQueueView(ListView):
    template_name = "resources/review_queue.html"
    context_object_name = "case_studies"

    def get_queryset(self):
        return (
            CaseStudy.objects.filter(
                status__in=[CaseStudy.Status.SUBMITTED, CaseStudy.Status.IN_REVIEW]
            )
            .annotate(
                submitted_at=Max(
                    "history__at", filter=Q(history__to_status=CaseStudy.Status.SUBMITTED)
                )
            )
            .select_related("resource", "program__organization", "organization")
            .prefetch_related(
                Prefetch(
                    "researchers",
                    queryset=get_user_model().objects.select_related("member"),
                    to_attr="researcher_list",
                )
            )
            .order_by(F("submitted_at").asc(nulls_first=True), "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for cs in context["case_studies"]:
            cs.days_waiting = (now - cs.submitted_at).days if cs.submitted_at else None
        return context
