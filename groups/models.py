"""Working groups: where the network works between its gatherings (issue 25).

A group has coordinators and members (`GroupMembership`, one row per person and group),
threads of posts in Markdown, and per-member read marks for unread markers. Access lives
in the QuerySet verbs (`visible_to`) and the getters of groups/access.py: threads and posts
are for the group's active members (and network admins) only; outsiders get 404.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MEMBERS_ONLY = "members.view_members_only_profile"
# How long an author may still edit their post.
EDIT_WINDOW = timedelta(minutes=30)


def is_network_member(user):
    return user.is_authenticated and user.has_perm(MEMBERS_ONLY)


def oversees(user):
    """Network admins (and staff) see every group and discussion, as moderators do."""
    return user.is_authenticated and (user.is_staff or user.has_perm("groups.change_thread"))


class WorkingGroupQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)

    def visible_to(self, user):
        """Groups this user may find: every group for members and admins; for visitors and
        accounts that are not (yet) members, the groups whose description is public."""
        if is_network_member(user) or oversees(user):
            return self.all()
        return self.filter(description_visibility=WorkingGroup.Visibility.PUBLIC)

    def coordinated_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__member=user,
            memberships__role=GroupMembership.Role.COORDINATOR,
            memberships__state=GroupMembership.State.ACTIVE,
        )


class WorkingGroup(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Group members only")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open to members")
        REQUEST = "request", _("On request, approved by a coordinator")
        INVITATION = "invitation", _("By invitation")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"), help_text=_("One or two sentences, Markdown."))
    description = models.TextField(_("description"), blank=True)
    description_visibility = models.CharField(
        _("who may read the description"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    join_policy = models.CharField(
        _("how to join"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.slug])

    @property
    def is_archived(self):
        return self.archived_at is not None


class GroupMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=GroupMembership.State.ACTIVE)


class GroupMembership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Member")

    class Notify(models.TextChoices):
        EVERY_POST = "every_post", _("An email for every post")
        DAILY = "daily", _("A daily digest")
        WEEKLY = "weekly", _("A weekly digest")
        NONE = "none", _("No email")

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    notify = models.CharField(
        _("emails"), max_length=12, choices=Notify.choices, default=Notify.WEEKLY
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    # The digest job's mark: posts after it go into this member's next digest.
    digested_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "group"],
                name="group_membership_one_per_member",
                violation_error_message=_("This person is already in the group."),
            ),
        ]
        indexes = [
            # Each access check: "is this user an active member of this group?" is served by
            # the unique constraint's (member, group) index; the notifications' recipients:
            models.Index(fields=["group", "state", "notify"], name="membership_notify_idx"),
        ]

    def __str__(self):
        return f"{self.member} in {self.group}"

    @property
    def is_coordinator(self):
        return self.state == self.State.ACTIVE and self.role == self.Role.COORDINATOR


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Threads of groups this user is an active member of (every thread for admins);
        hidden threads only to the group's coordinators and admins."""
        if not user.is_authenticated:
            return self.none()
        if oversees(user):
            return self.all()
        memberships = GroupMembership.objects.active().filter(member=user, group=OuterRef("group"))
        coordinating = memberships.filter(role=GroupMembership.Role.COORDINATOR)
        return self.filter(Exists(memberships)).filter(Q(hidden=False) | Exists(coordinating))


class Thread(models.Model):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="threads", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="group_threads",
        verbose_name=_("author"),
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-pinned", "-last_activity_at", "-pk"]
        indexes = [
            # A group's page: its threads, pinned first, newest-active first.
            models.Index(
                fields=["group", "-pinned", "-last_activity_at"], name="thread_group_activity_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("groups:thread", args=[self.group.slug, self.pk])


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        threads = Thread.objects.visible_to(user)
        if oversees(user):
            return self.filter(thread__in=threads)
        coordinating = GroupMembership.objects.active().filter(
            member=user, group=OuterRef("thread__group"), role=GroupMembership.Role.COORDINATOR
        )
        return self.filter(thread__in=threads).filter(Q(hidden=False) | Exists(coordinating))


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="group_posts",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), help_text=_("Markdown."))
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        indexes = [
            # A thread's page, and the digests' "posts since" per group.
            models.Index(fields=["thread", "created_at"], name="post_thread_created_idx"),
            models.Index(fields=["created_at"], name="post_created_idx"),
        ]

    def __str__(self):
        return f"{self.thread}: {self.body[:40]}"

    def editable_by(self, user, now=None):
        return (
            user.is_authenticated
            and self.author_id == user.pk
            and (now or timezone.now()) - self.created_at <= EDIT_WINDOW
            and not self.thread.locked
        )


class Report(models.Model):
    """A member's report of a post to the group's coordinators."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_post_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_one_per_reporter"),
        ]

    def __str__(self):
        return f"{self.reporter} reported {self.post_id}"


class ThreadRead(models.Model):
    """When a member last read a thread: newer activity shows as unread."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_thread_reads",
        verbose_name=_("member"),
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="reads", verbose_name=_("thread")
    )
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [
            # Also the index of a group page's unread markers (member, thread).
            models.UniqueConstraint(fields=["member", "thread"], name="thread_read_one_per_member"),
        ]

    def __str__(self):
        return f"{self.member} read {self.thread_id}"
