"""The library (search, record, files, citations, feed) and case studies (list, form, review)."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.syndication.views import Feed
from django.core.cache import caches
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from allin_portal.slugs import unique_slug
from resources import citations, search, services
from resources.forms import CaseStudyForm, CommentForm
from resources.models import CaseStudy, Resource, StatusChange

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
        cache = caches["resources"]
        key = query.cache_key(access_key(user))
        block = cache.get(key)
        if block is None:
            context = search.run(query, Resource.objects.visible_to(user))
            context.update(search=query, request=self.request)
            block = render_to_string("resources/_results.html", context)
            cache.set(key, block)
        return super().get_context_data(search=query, results_block=mark_safe(block), **kwargs)  # noqa: S308


def _get_previewable(request, slug):
    """The one permission-checked getter: 404 for drafts the user may not see."""
    return get_object_or_404(
        Resource.objects.previewable_by(request.user).select_related(
            "related_event", "case_study__program", "case_study__organization"
        ),
        slug=slug,
    )


def _get_visible(request, slug):
    return get_object_or_404(Resource.objects.visible_to(request.user), slug=slug)


class ResourceDetailView(DetailView):
    template_name = "resources/resource_detail.html"
    context_object_name = "resource"

    def get_object(self, queryset=None):
        resource = _get_previewable(self.request, self.kwargs["slug"])
        resource.topic_list = list(resource.topics.all())
        return resource

    def get_context_data(self, **kwargs):
        resource = self.object
        user = self.request.user
        full_access = resource.access == Resource.Access.PUBLIC or user.has_perm(
            "resources.view_members_only_resource"
        )
        related = []
        if full_access:
            related = list(
                Resource.objects.visible_to(user)
                .exclude(pk=resource.pk)
                .filter(
                    pk__in=Resource.topics.through.objects.filter(
                        tag__in=[t.pk for t in resource.topic_list],
                        content_type__model="resource",
                        content_type__app_label="resources",
                    ).values("object_id")
                )
                .order_by("-publication_year", "title")[:RELATED_LIMIT]
            )
        case_study = (
            getattr(resource, "case_study", None) if resource.type == "case_study" else None
        )
        return super().get_context_data(
            full_access=full_access,
            related=related,
            case_study=case_study,
            authors_members=list(resource.author_members.all()) if full_access else [],
            **kwargs,
        )


@require_GET
def download(request, slug, number=None):
    """A resource's file, as an attachment, for those who may see the resource in full."""
    resource = _get_visible(request, slug)
    if number is None:
        if not resource.file:
            raise Http404
        stored = resource.file
    else:
        # Earlier versions: only the researchers and reviewers of a case study.
        case_study = getattr(resource, "case_study", None)
        if case_study is None or not (
            services.is_reviewer(request.user)
            or services.is_researcher_of(case_study, request.user)
        ):
            raise Http404
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
    resource = _get_visible(request, slug)
    resource.topic_list = list(resource.topics.all())
    return _citation_response(request, [resource], fmt, resource.slug)


@require_GET
def export(request, fmt):
    if fmt not in ("bib", "ris"):
        raise Http404
    query = search.Search.from_params(request.GET)
    rows = search.export_rows(query, Resource.objects.visible_to(request.user))
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
        return Resource.objects.visible_to(_Visitor()).order_by("-created_at")[:30]

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


class _Visitor:
    """The feed is public and cached by readers: it always shows what a visitor sees."""

    is_authenticated = False
    pk = None

    def has_perm(self, perm):
        return False


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


def _get_case_study_for(user, slug):
    resource = get_object_or_404(Resource.objects.previewable_by(user), slug=slug)
    case_study = getattr(resource, "case_study", None)
    if case_study is None or not (
        services.is_reviewer(user) or services.is_researcher_of(case_study, user)
    ):
        raise Http404
    return case_study


RESERVED_SLUGS = {"new", "mine", "review", "feed"}


@login_required
@permission_required("resources.submit_case_study", raise_exception=True)
def case_study_create(request):
    form = CaseStudyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
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
            upload=form.cleaned_data["file"],
        )
        if "submit" in request.POST:
            services.transition(case_study=case_study, action="submit", by=request.user)
            messages.success(request, _("Your case study was submitted for review."))
        else:
            messages.success(request, _("Your draft was saved."))
        return redirect(case_study.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "resources/case_study_form.html", {"form": form}, status=status)


@login_required
def case_study_edit(request, slug):
    case_study = _get_case_study_for(request.user, slug)
    if not services.is_researcher_of(case_study, request.user):
        raise Http404
    if not case_study.editable:
        messages.error(request, _("This case study cannot be edited in its current status."))
        return redirect(case_study.get_absolute_url())
    form = CaseStudyForm(request.POST or None, request.FILES or None, case_study=case_study)
    if request.method == "POST" and form.is_valid():
        form.apply(case_study, case_study.resource)
        services.update_case_study(
            case_study=case_study,
            by=request.user,
            topics=form.cleaned_data["topics"],
            upload=form.cleaned_data["file"],
        )
        if "submit" in request.POST:
            services.transition(case_study=case_study, action="submit", by=request.user)
            messages.success(request, _("Your case study was submitted for review."))
        else:
            messages.success(request, _("Your changes were saved."))
        return redirect(case_study.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resources/case_study_form.html",
        {"form": form, "case_study": case_study},
        status=status,
    )


@require_POST
@login_required
def case_study_action(request, slug, action):
    case_study = _get_case_study_for(request.user, slug)
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


@method_decorator(
    permission_required("resources.review_case_study", raise_exception=True), name="dispatch"
)
@method_decorator(login_required, name="dispatch")
class ReviewQueueView(ListView):
    template_name = "resources/review_queue.html"
    context_object_name = "case_studies"

    def get_queryset(self):
        return (
            CaseStudy.objects.filter(
                status__in=[CaseStudy.Status.SUBMITTED, CaseStudy.Status.IN_REVIEW]
            )
            .select_related("resource")
            .prefetch_related(Prefetch("researchers", to_attr="researcher_list"))
            .order_by("updated_at")
        )
