"""Gatherings of the network: working sessions, Living Lab panels, summits."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a time zone name."), params={"value": value})


class EventQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")


class Event(models.Model):
    class Series(models.TextChoices):
        WORKING_SESSION = "working_session", _("ALL-IN working session")
        LIVING_LAB = "living_lab", _("Living Lab panel")
        SUMMIT = "summit", _("Summit")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        # Upcoming or past is a matter of dates (see EventQuerySet).
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class DatePrecision(models.TextChoices):
        TIME = "time", _("Exact times")
        DAY = "day", _("Day")
        MONTH = "month", _("Month")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    series = models.CharField(_("series"), max_length=20, choices=Series.choices)
    host_forum = models.CharField(_("host forum"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.TIME,
        help_text=_("For gatherings known only by day or month, show no more than that."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    # Figures reported for gatherings that have no registration records.
    reported_participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_at_least = models.BooleanField(
        _("participants is a minimum"), default=False, help_text=_('Shown as "over N".')
    )
    reported_countries = models.PositiveIntegerField(_("countries"), null=True, blank=True)
    reported_continents = models.PositiveIntegerField(_("continents"), null=True, blank=True)
    participants_from = models.CharField(_("participants from"), max_length=300, blank=True)
    note = models.TextField(_("editorial note"), blank=True, help_text=_("Not shown on the site."))

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
        ]
        permissions = [
            ("manage_registrations", _("Can register, check in and export attendees")),
        ]
        indexes = [
            # upcoming() and past(): events by end date.
            models.Index(fields=["ends_at"], name="event_ends_at_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.tz)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.tz)

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    @property
    def when(self):
        """The dates as precisely as they are known, in the event's own time zone."""
        start, end = self.local_starts_at, self.local_ends_at
        if self.date_precision == self.DatePrecision.MONTH:
            if (start.year, start.month) == (end.year, end.month):
                return date_format(start, "F Y")
            return f"{date_format(start, 'F Y')} – {date_format(end, 'F Y')}"
        days = date_format(start, "j F Y")
        if start.date() != end.date():
            same_month = (start.year, start.month) == (end.year, end.month)
            first = date_format(start, "j" if same_month else "j F Y")
            days = f"{first}–{date_format(end, 'j F Y')}"
        if self.date_precision == self.DatePrecision.DAY:
            return days
        return f"{days}, {time_format(start, 'H:i')}–{time_format(end, 'H:i')} ({self.timezone})"


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["event", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="agenda_item_unique_order"),
        ]

    def __str__(self):
        return self.title


class EventPerson(models.Model):
    """Someone with a role at an event: a member, or a named person."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        SPEAKER = "speaker", _("Speaker")
        PANELIST = "panelist", _("Panelist")
        ORGANISER = "organiser", _("Organiser")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="people")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_roles",
        verbose_name=_("member"),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)

    class Meta:
        ordering = ["event", "order"]
        verbose_name = _("person at an event")
        verbose_name_plural = _("people at events")
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="event_person_unique_order"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Outcome(models.Model):
    class Kind(models.TextChoices):
        OBJECTIVE = "objective", _("Objectives")
        TAKEAWAY = "takeaway", _("Key takeaways")
        CONCLUSION = "conclusion", _("Conclusions")
        DESIGN_CHALLENGE = "design_challenge", _("Design challenges")
        NEXT_STEP = "next_step", _("Next steps")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["event", "kind", "order"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind", "order"], name="outcome_unique_order"),
        ]

    def __str__(self):
        return self.text[:80]
