"""Working groups' pages. Every object is looked up through one getter that answers 404
to whoever may not know it exists (`get_group_for`, `get_thread_for`, `get_post_for`); the
actions are POST-only function views calling groups/services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import require
from core.paginator import page_or_nearest
from groups import notifications, services
from groups.forms import InviteForm, MoveForm, NotifyForm, PostForm, ReportForm, ThreadForm
from groups.models import (
    GroupMembership,
    Post,
    Report,
    Thread,
    ThreadRead,
    WorkingGroup,
    is_network_member,
    oversees,
)

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 50


def get_group_for(user, slug):
    """The one getter of a group: 404 for a group this user may not find."""
    return get_object_or_404(WorkingGroup.objects.visible_to(user), slug=slug)


def get_thread_for(user, slug, pk):
    """A thread of the group `slug`, for its active members (and admins) only; 404 else."""
    return get_object_or_404(
        Thread.objects.visible_to(user).select_related("group"), group__slug=slug, pk=pk
    )


def get_post_for(user, thread, pk):
    return get_object_or_404(
        Post.objects.visible_to(user).select_related("thread__group"), thread=thread, pk=pk
    )


def coordinates(user, group):
    if oversees(user):
        return True
    membership = services.membership_of(user, group)
    return membership is not None and membership.is_coordinator


def get_coordinated_thread(user, slug, pk):
    """A thread whose group this user coordinates: 404 to those who cannot see it, 403 to
    members who may see it but not moderate it."""
    thread = get_thread_for(user, slug, pk)
    require(coordinates(user, thread.group))
    return thread


@require_GET
def group_list(request):
    groups = WorkingGroup.objects.visible_to(request.user).order_by(
        "archived_at", "-started_on", "name"
    )
    mine = {}
    if request.user.is_authenticated:
        mine = dict(
            GroupMembership.objects.filter(member=request.user).values_list("group_id", "state")
        )
    return render(request, "groups/list.html", {"groups": groups, "mine": mine})


@require_GET
def group_detail(request, slug):
    group = get_group_for(request.user, slug)
    user = request.user
    membership = services.membership_of(user, group)
    active = membership is not None and membership.state == GroupMembership.State.ACTIVE
    can_read = active or oversees(user)
    context = {
        "group": group,
        "membership": membership,
        "can_read": can_read,
        "coordinator": coordinates(user, group),
        "show_description": group.description_visibility == WorkingGroup.Visibility.PUBLIC
        or can_read,
    }
    if can_read:
        threads = (
            Thread.objects.visible_to(user)
            .filter(group=group)
            .select_related("author__member")
            .annotate(
                read_at=Subquery(
                    ThreadRead.objects.filter(member=user, thread=OuterRef("pk")).values("read_at")[
                        :1
                    ]
                )
            )
            .order_by("-pinned", "-last_activity_at", "-pk")
        )
        page = page_or_nearest(Paginator(threads, THREADS_PER_PAGE), request.GET.get("page"))
        for thread in page.object_list:
            thread.unread = thread.read_at is None or thread.read_at < thread.last_activity_at
        context["page_obj"] = page
        context["form"] = ThreadForm()
        if active:
            context["notify_form"] = NotifyForm(initial={"notify": membership.notify})
    if context["coordinator"]:
        context["invite_form"] = InviteForm()
        context["requests"] = list(
            group.memberships.filter(state=GroupMembership.State.REQUESTED).select_related(
                "member__member"
            )
        )
        context["reports"] = list(
            Report.objects.filter(post__thread__group=group)
            .select_related("post__thread", "reporter__member")
            .order_by("-created_at")[:20]
        )
    if can_read:
        context["members"] = list(
            group.memberships.active().select_related("member__member").order_by("-role", "pk")
        )
    return render(request, "groups/detail.html", context)


@require_GET
def thread_detail(request, slug, pk):
    thread = get_thread_for(request.user, slug, pk)
    posts = (
        Post.objects.visible_to(request.user)
        .filter(thread=thread)
        .select_related("author__member")
        .annotate(
            reported=Exists(Report.objects.filter(post=OuterRef("pk"), reporter=request.user.pk))
        )
    )
    page = page_or_nearest(Paginator(posts, POSTS_PER_PAGE), request.GET.get("page"))
    now = timezone.now()
    for post in page.object_list:
        post.thread = thread
        post.can_edit = post.editable_by(request.user, now) and not thread.group.is_archived
    coordinator = coordinates(request.user, thread.group)
    services.mark_read(thread=thread, user=request.user, now=now)
    context = {
        "thread": thread,
        "group": thread.group,
        "page_obj": page,
        "coordinator": coordinator,
        "can_reply": not thread.locked and not thread.group.is_archived,
        "form": PostForm(),
    }
    if coordinator:
        context["move_form"] = MoveForm(
            groups=WorkingGroup.objects.current().exclude(pk=thread.group_id)
            if oversees(request.user)
            else WorkingGroup.objects.current()
            .coordinated_by(request.user)
            .exclude(pk=thread.group_id)
        )
    return render(request, "groups/thread.html", context)


@login_required
@require_POST
def join(request, slug):
    group = get_group_for(request.user, slug)
    require(is_network_member(request.user))
    try:
        membership = services.join(group=group, user=request.user)
    except services.NotAllowed:
        require(False)
    if membership.state == GroupMembership.State.ACTIVE:
        messages.success(request, _("Welcome to the group."))
    else:
        messages.success(request, _("Your request was sent to the group's coordinators."))
    return redirect(group)


@login_required
@require_POST
def leave(request, slug):
    group = get_group_for(request.user, slug)
    if services.leave(group=group, user=request.user):
        messages.success(request, _("You left the group."))
    return redirect(group)


@login_required
@require_POST
def decide(request, slug, membership_pk):
    group = get_group_for(request.user, slug)
    require(coordinates(request.user, group))
    membership = get_object_or_404(
        group.memberships, pk=membership_pk, state=GroupMembership.State.REQUESTED
    )
    approve = request.POST.get("decision") == "approve"
    services.decide(membership=membership, approve=approve)
    messages.success(request, _("Request approved.") if approve else _("Request declined."))
    return redirect(group)


@login_required
@require_POST
def invite(request, slug):
    """A coordinator invites a member of the network; the invitation waits on the group's
    page for them to accept (or decline)."""
    group = get_group_for(request.user, slug)
    require(coordinates(request.user, group) and not group.is_archived)
    form = InviteForm(request.POST)
    if form.is_valid():
        membership = services.invite(group=group, user=form.user)
        if membership.state == GroupMembership.State.INVITED:
            messages.success(request, _("The invitation is waiting on the group's page."))
        else:
            messages.info(request, _("This person is already in the group."))
    else:
        messages.error(request, " ".join(form.errors.get("email", [])))
    return redirect(group)


@login_required
@require_POST
def set_notify(request, slug):
    group = get_group_for(request.user, slug)
    membership = services.membership_of(request.user, group)
    if membership is None or membership.state != GroupMembership.State.ACTIVE:
        raise Http404
    form = NotifyForm(request.POST)
    if form.is_valid():
        if membership.notify != form.cleaned_data["notify"]:
            # A digest chosen now starts from now, not from the day they joined.
            membership.notify = form.cleaned_data["notify"]
            membership.digested_at = timezone.now()
            membership.save(update_fields=["notify", "digested_at"])
        messages.success(request, _("Your email choice for this group is saved."))
    return redirect(group)


def _active_member_or_404(user, group):
    membership = services.membership_of(user, group)
    if membership is None or membership.state != GroupMembership.State.ACTIVE:
        if not oversees(user):
            raise Http404
    return membership


@login_required
@require_POST
def start_thread(request, slug):
    group = get_group_for(request.user, slug)
    _active_member_or_404(request.user, group)
    require(not group.is_archived)
    form = ThreadForm(request.POST)
    if not form.is_valid():
        return render(request, "groups/new_thread.html", {"group": group, "form": form}, status=400)
    data = form.cleaned_data
    thread = services.start_thread(
        group=group, author=request.user, title=data["title"], body=data["body"]
    )
    return redirect(thread)


@login_required
@require_POST
def reply(request, slug, pk):
    thread = get_thread_for(request.user, slug, pk)
    _active_member_or_404(request.user, thread.group)
    require(not thread.locked and not thread.group.is_archived)
    form = PostForm(request.POST)
    if not form.is_valid():
        return render(request, "groups/reply.html", {"thread": thread, "form": form}, status=400)
    try:
        post = services.reply(thread=thread, author=request.user, body=form.cleaned_data["body"])
    except services.NotAllowed:
        require(False)
    before = Post.objects.visible_to(request.user).filter(thread=thread, pk__lt=post.pk).count()
    page = before // POSTS_PER_PAGE + 1
    return redirect(f"{thread.get_absolute_url()}?page={page}#post-{post.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request, slug, pk, post_pk):
    thread = get_thread_for(request.user, slug, pk)
    post = get_post_for(request.user, thread, post_pk)
    require(post.editable_by(request.user) and not thread.group.is_archived)
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.edit(post=post, user=request.user, body=form.cleaned_data["body"])
        return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
    return render(request, "groups/edit_post.html", {"thread": thread, "post": post, "form": form})


@login_required
@require_POST
def report_post(request, slug, pk, post_pk):
    thread = get_thread_for(request.user, slug, pk)
    post = get_post_for(request.user, thread, post_pk)
    form = ReportForm(request.POST)
    services.report(
        post=post, user=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else ""
    )
    messages.success(request, _("Thank you: the group's coordinators will look at this post."))
    return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")


@login_required
@require_POST
def moderate_thread(request, slug, pk, action):
    if action not in {"pin", "unpin", "lock", "unlock", "hide", "show"}:
        raise Http404
    thread = get_coordinated_thread(request.user, slug, pk)
    services.moderate_thread(thread=thread, action=action)
    messages.success(request, _("Done."))
    return redirect(thread)


@login_required
@require_POST
def moderate_post(request, slug, pk, post_pk, action):
    if action not in {"hide", "show"}:
        raise Http404
    thread = get_coordinated_thread(request.user, slug, pk)
    post = get_post_for(request.user, thread, post_pk)
    services.moderate_post(post=post, hidden=action == "hide")
    messages.success(request, _("Done."))
    return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")


@login_required
@require_POST
def move_thread(request, slug, pk):
    thread = get_coordinated_thread(request.user, slug, pk)
    allowed = (
        WorkingGroup.objects.current()
        if oversees(request.user)
        else WorkingGroup.objects.current().coordinated_by(request.user)
    )
    form = MoveForm(request.POST, groups=allowed.exclude(pk=thread.group_id))
    require(form.is_valid())
    to_group = form.cleaned_data["to_group"]
    services.move(thread=thread, to_group=to_group)
    messages.success(request, _("The thread was moved."))
    thread.group = to_group
    return redirect(thread)


@csrf_exempt  # RFC 8058 one-click from the mail client; the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, slug, token):
    """GET shows one button (link scanners must not unsubscribe anyone); POST turns this
    group's emails off for that member."""
    try:
        member_id, group_id = notifications.read_unsubscribe_token(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    membership = (
        GroupMembership.objects.filter(member_id=member_id, group_id=group_id, group__slug=slug)
        .select_related("group")
        .first()
    )
    if membership is None:
        raise Http404
    if request.method == "POST":
        GroupMembership.objects.filter(pk=membership.pk).update(notify=GroupMembership.Notify.NONE)
        return render(request, "groups/unsubscribed.html", {"group": membership.group})
    return render(request, "groups/unsubscribe.html", {"group": membership.group})
