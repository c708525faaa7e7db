"""Announcements (to a chosen audience) and the digest's runs. The outbox and what members
chose to receive live on the ground floor, in mail."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.countries import Region
from mail.models import Kind
from members.models import Member, Organization


def no_line_breaks(value):
    """Refuses what would let a subject spill into other headers."""
    if "\r" in value or "\n" in value or "\x00" in value:
        raise ValidationError(_("A subject must be one line."), code="line_break")


class Announcement(models.Model):
    """A message to a chosen audience: composed in the back office (network admins) or on an
    event's staff pages (event staff, to the event's registrants)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        QUEUEING = "queueing", _("Finding recipients")
        QUEUED = "queued", _("Queued")

    class EventAudience(models.TextChoices):
        ALL = "all", _("Everyone registered (confirmed or waitlisted)")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CHECKED_IN = "checked_in", _("Checked in")

    class OECD(models.TextChoices):
        ANY = "", _("Any country")
        YES = "yes", _("OECD countries")
        NO = "no", _("Non-OECD countries")

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(Kind.ANNOUNCEMENT, Kind.ANNOUNCEMENT.label), (Kind.EVENT_NEWS, _("Event news"))],
        default=Kind.ANNOUNCEMENT,
    )
    subject = models.CharField(_("subject"), max_length=200, validators=[no_line_breaks])
    body = models.TextField(_("message (Markdown)"), max_length=20000)
    language = models.CharField(
        _("language of this text"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    featured_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("featured event"),
    )
    featured_resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("featured resource"),
    )

    # The audience: every filter that is set narrows it; several values of one filter widen it.
    groups = models.ManyToManyField(
        "auth.Group", blank=True, related_name="+", verbose_name=_("roles")
    )
    statuses = ArrayField(
        models.CharField(max_length=20, choices=Member.Status.choices),
        default=list,
        blank=True,
        verbose_name=_("membership status"),
    )
    regions = ArrayField(
        models.CharField(max_length=30, choices=Region.choices),
        default=list,
        blank=True,
        verbose_name=_("regions"),
    )
    countries = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, verbose_name=_("countries")
    )
    oecd = models.CharField(
        _("OECD"), max_length=3, choices=OECD.choices, default=OECD.ANY, blank=True
    )
    organization_types = ArrayField(
        models.CharField(max_length=30, choices=Organization.Type.choices),
        default=list,
        blank=True,
        verbose_name=_("organization types"),
    )
    expertise = models.ManyToManyField(
        "taggit.Tag", blank=True, related_name="+", verbose_name=_("expertise")
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("people registered for the event"),
    )
    event_audience = models.CharField(
        _("who at the event"),
        max_length=20,
        choices=EventAudience.choices,
        default=EventAudience.ALL,
    )

    # Who was in the audience when it was sent, emailed or not: they read it in the
    # archive (kept for announcements to a chosen audience only).
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        editable=False,  # set at sending, never by hand
        related_name="+",
        verbose_name=_("readers"),
    )

    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    recipients_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at"]
        indexes = [
            # The scheduler: scheduled announcements whose time has come.
            models.Index(fields=["state", "send_at"], name="announcement_due_idx"),
        ]

    def __str__(self):
        return self.subject

    def text_in(self, language):
        """(subject, body) in this language when a translation exists, else the original."""
        if language != self.language:
            for translation in self.translations.all():
                if translation.language == language:
                    return translation.subject, translation.body
        return self.subject, self.body


class AnnouncementTranslation(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, validators=[no_line_breaks])
    body = models.TextField(_("message (Markdown)"), max_length=20000)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "language"], name="announcement_one_translation_each"
            )
        ]

    def __str__(self):
        return f"{self.announcement} ({self.language})"


class DigestRun(models.Model):
    """One row per week the digest was considered: the week is never sent twice."""

    week = models.CharField(max_length=10, unique=True)  # ISO year-week, e.g. 2026-W48
    ran_at = models.DateTimeField(default=timezone.now)
    since = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-ran_at"]

    def __str__(self):
        return self.week
