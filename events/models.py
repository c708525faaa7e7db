"""Gatherings of the network: working sessions, Living Lab panels, summits."""

import secrets
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format, time_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.content_translation import TranslatedContent
from core.datacache import DataCacheQuerySet
from events import tokens
from members.models import Member


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a time zone name."), params={"value": value})


class EventQuerySet(DataCacheQuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def held(self):
        """Gatherings that took place: over, and scheduled (not planned, postponed, cancelled)."""
        return self.past().filter(status=Event.Status.SCHEDULED)

    def never_held(self):
        """Past dates of gatherings that were planned, postponed or cancelled."""
        return self.past().exclude(status=Event.Status.SCHEDULED)

    def with_attendance(self):
        """Annotate registration counts and the countries of those who came (one query)."""
        confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
        attended = confirmed & Q(registrations__checked_in_at__isnull=False)
        return self.annotate(
            confirmed_count=Count("registrations", filter=confirmed),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
            attended_count=Count("registrations", filter=attended),
            # Places held for guests who have not confirmed their address yet: only live
            # holds count, so an expired hold frees its place the moment it expires.
            held_count=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.PENDING,
                    registrations__holds_place=True,
                    registrations__hold_expires_at__gt=timezone.now(),
                ),
            ),
            attended_countries=ArrayAgg(
                "registrations__country",
                filter=attended & ~Q(registrations__country=""),
                distinct=True,
                default=[],
            ),
        )


def validate_image(file):
    """Accept only files that Pillow can open as an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        position = file.tell()
        with Image.open(file) as image:
            image.verify()
        file.seek(position)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("Upload a valid image (JPEG, PNG, GIF or WebP).")) from error


# A certificate logo is drawn on every certificate: a camera-sized image made each one take
# 1.6 s instead of 0.09 s.
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4_000_000


def validate_logo(file):
    """An image (as validate_image) of at most 2 MB and 4 megapixels (read from its header,
    before anything is decoded)."""
    from PIL import Image, UnidentifiedImageError

    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is larger than 2 MB. Please upload a smaller image."), code="too_large"
        )
    validate_image(file)
    try:
        position = file.tell()
        with Image.open(file) as image:
            width, height = image.size
        file.seek(position)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Upload a valid image (JPEG, PNG, GIF or WebP).")) from error
    if width * height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _(
                "The logo is %(width)s × %(height)s pixels: at most 4 megapixels "
                "(for example 2000 × 2000). Please upload a smaller image."
            )
            % {"width": width, "height": height},
            code="too_many_pixels",
        )


def new_token():
    """A random secret (kept for migration 0004, which names it)."""
    return secrets.token_urlsafe(24)


def default_languages():
    return [settings.MODELTRANSLATION_DEFAULT_LANGUAGE]


def validate_languages(value):
    """The languages a gathering is run in: the site's languages, English always among them."""
    known = dict(settings.LANGUAGES)
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s."), params={"codes": ", ".join(map(str, unknown))}
        )
    if settings.MODELTRANSLATION_DEFAULT_LANGUAGE not in value:
        raise ValidationError(_("English is always one of the event's languages."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each language once."))


class LanguagesFormField(forms.TypedMultipleChoiceField):
    """Checkboxes for the site's languages, kept in the site's order (English first)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        for name in ("max_length", "base_field", "size"):
            kwargs.pop(name, None)
        kwargs["choices"] = settings.LANGUAGES
        super().__init__(**kwargs)

    def clean(self, value):
        chosen = set(super().clean(value))
        return [code for code, _name in settings.LANGUAGES if code in chosen]


class LanguagesField(ArrayField):
    """A list of language codes among settings.LANGUAGES, chosen with checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("base_field", models.CharField(max_length=7))
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        defaults = {
            "required": not self.blank,
            "label": capfirst(self.verbose_name),  # lazy: in the language of the page
            "help_text": self.help_text,
            "initial": self.get_default(),
        }
        defaults.update(kwargs)
        defaults.pop("form_class", None)
        defaults.pop("choices_form_class", None)
        return LanguagesFormField(**defaults)


class RegistrationPolicy(models.TextChoices):
    MEMBERS = "members", _("Members only")
    INVITED = "invited", _("Members and invited guests")
    ANYONE = "anyone", _("Anyone")


class Event(TranslatedContent):
    RegistrationPolicy = RegistrationPolicy

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
        # Announced in the network's plans, with no confirmation or report that it took place.
        PLANNED = "planned", _("Planned, not confirmed")
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
    source_note = models.TextField(
        _("about the sources"),
        blank=True,
        help_text=_(
            "Shown to readers under the event: where a date, place or role comes from when the "
            "network's records do not state it."
        ),
    )
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to confirmed registrants, and sent in their calendar file."),
    )
    # Registration settings. No capacity means no limit on places.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    guests_allowed = models.BooleanField(
        _("guests allowed"),
        default=False,
        help_text=_("Event staff may register people who are not members."),
    )
    registration_policy = models.CharField(
        _("who may register"),
        max_length=20,
        choices=RegistrationPolicy.choices,
        default=RegistrationPolicy.MEMBERS,
        help_text=_("Guests register at the event's registration page and confirm by email."),
    )
    # Registration and survey questions are worded in these (English is the original).
    languages = LanguagesField(
        verbose_name=_("languages"),
        default=default_languages,
        validators=[validate_languages],
        help_text=_(
            "The languages the gathering is run in. Registration and survey questions can "
            "be worded in each; English is always included."
        ),
    )
    # The private invitation link for the whole event (per-invitee links: Invitation): its
    # token is derived from this salt and the secret key (events/tokens.py), never stored.
    invitation_salt = models.CharField(
        _("invitation link salt"), max_length=32, default=tokens.new_salt, editable=False
    )
    # Feedback survey and certificates of attendance.
    survey_open = models.BooleanField(
        _("feedback survey open"),
        default=False,
        help_text=_("Checked-in participants may answer the survey once the event has started."),
    )
    survey_anonymous_allowed = models.BooleanField(_("anonymous answers allowed"), default=False)
    certificates_enabled = models.BooleanField(
        _("certificates of attendance"),
        default=False,
        help_text=_("Checked-in participants may download a certificate of attendance."),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Hours of attendance, shown on the certificate."),
    )
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    certificate_logo = models.ImageField(
        _("certificate logo"),
        upload_to="events/logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, printed at the top of certificates."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before"),
        default=3,
        help_text=_("Confirmed registrants are emailed a reminder this many days before; 0: none."),
    )

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("events",)
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="event_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gte=F("registration_opens")),
                name="event_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="event_hours_not_negative",
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
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.capacity is not None and self.capacity < 0:
            errors["capacity"] = _("The capacity cannot be negative.")
        opens, closes = self.registration_opens, self.registration_closes
        if opens and closes and closes < opens:
            errors["registration_closes"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def get_ics_url(self):
        return reverse("events:ics", kwargs={"slug": self.slug})

    @property
    def invitation_token(self):
        """The token of the event's invitation link (derived, not stored)."""
        return tokens.salted_token("event-invitation", self.invitation_salt)

    @property
    def has_begun(self):
        """Surveys and certificates of attendance are offered from the event's start."""
        return self.starts_at is not None and self.starts_at <= timezone.now()

    def is_invitation_token(self, token):
        return tokens.salted_matches(token, "event-invitation", self.invitation_salt)

    @property
    def all_day(self):
        return self.date_precision != self.DatePrecision.TIME

    @property
    def place(self):
        """The city and country as far as they are known ("Doha, Qatar", "Qatar"), or ""."""
        return ", ".join(part for part in (self.city, str(self.country.name or "")) if part)

    @property
    def series_label(self):
        """The type shown on pages: "Other" says nothing about a gathering, so it is ""."""
        return "" if self.series == self.Series.OTHER else self.get_series_display()

    @property
    def in_calendar(self):
        """A calendar file is offered for upcoming, scheduled events known to the day."""
        return (
            self.status == self.Status.SCHEDULED
            and not self.is_past
            and self.date_precision != self.DatePrecision.MONTH
        )

    def registration_problem(self, *, staff=False):
        """Why nobody can register now (a message), or None when registration is open.

        Event staff may register people before registration opens and after it closes,
        but not for a past, cancelled or postponed event.
        """
        now = timezone.now()
        if self.status == self.Status.CANCELLED:
            return _("This event is cancelled.")
        if self.status == self.Status.POSTPONED:
            return _("This event is postponed; registration will open again with its new date.")
        if self.status == self.Status.PLANNED:
            return _("This event is not confirmed yet; registration opens once it is.")
        if self.ends_at < now:
            return _("This event is over.")
        if not staff and self.registration_opens and now < self.registration_opens:
            return _("Registration is not open yet.")
        if not staff and self.registration_closes and now > self.registration_closes:
            return _("Registration is closed.")
        return None

    @property
    def figures(self):
        """Participation figures: from attendance where there is any, else as reported."""
        attended = getattr(self, "attended_count", 0)
        if attended:
            from events.continents import continents_of

            countries = self.attended_countries
            return {
                "participants": attended,
                "at_least": False,
                "countries": len(countries),
                "continents": len(continents_of(countries)),
                "from_attendance": True,
            }
        return {
            "participants": self.reported_participants,
            "at_least": self.participants_at_least,
            "countries": self.reported_countries,
            "continents": self.reported_continents,
            "from_attendance": False,
        }

    @property
    def places_left(self):
        """Needs `with_attendance()`; None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count - getattr(self, "held_count", 0), 0)

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
    def check_in_open(self):
        """Check-in is open on the event's own days (its time zone), from the first to the last."""
        today = timezone.localtime(timezone.now(), self.tz).date()
        return self.local_starts_at.date() <= today <= self.local_ends_at.date()

    @property
    def when(self):
        """The dates as precisely as they are known, in the event's own time zone, in the
        active language's named formats (word order follows the locale)."""
        start, end = self.local_starts_at, self.local_ends_at
        if self.date_precision == self.DatePrecision.MONTH:
            if (start.year, start.month) == (end.year, end.month):
                return date_format(start, "YEAR_MONTH_FORMAT")
            first, last = (date_format(d, "YEAR_MONTH_FORMAT") for d in (start, end))
            return f"{first} – {last}"
        days = date_format(start, "DATE_FORMAT")
        if start.date() != end.date():
            days = day_range(start, end)
        if self.date_precision == self.DatePrecision.DAY:
            return days
        times = f"{time_format(start)}–{time_format(end)}"
        # Translators: an event's day(s), then its times; Arabic separates them with "،".
        return gettext("%(days)s, %(times)s (%(zone)s)") % {
            "days": days,
            "times": times,
            "zone": self.timezone,
        }


def day_range(start, end):
    """Two different days: "5–7 septembre 2025" when the locale's date starts with the day
    and both are in one month; otherwise both dates in full ("Sept. 5, 2025 – Oct. 2, 2025")."""
    full = get_format("DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month) and full[:1] in ("j", "d"):
        return f"{date_format(start, full[0])}–{date_format(end, full)}"
    return f"{date_format(start, full)} – {date_format(end, full)}"


class AgendaItem(TranslatedContent):
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


class EventPerson(TranslatedContent):
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


class Outcome(TranslatedContent):
    class Kind(models.TextChoices):
        OBJECTIVE = "objective", _("Objectives")
        TAKEAWAY = "takeaway", _("Key takeaways")
        CONCLUSION = "conclusion", _("Conclusions")
        DESIGN_CHALLENGE = "design_challenge", _("Design challenges")
        NEXT_STEP = "next_step", _("Next steps")
        FEEDBACK = "feedback", _("What participants said")

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


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    image = models.ImageField(
        _("image"), upload_to="events/photos/%Y/", validators=[validate_image]
    )
    caption = models.CharField(
        _("caption"), max_length=300, help_text=_("Also the text for people who cannot see it.")
    )

    class Meta:
        ordering = ["event", "order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption


class RegistrationQuerySet(DataCacheQuerySet):
    def active(self):
        """Registrations that still count: not cancelled and not an expired hold."""
        return self.exclude(
            status__in=[Registration.Status.CANCELLED, Registration.Status.EXPIRED]
        ).exclude(status=Registration.Status.PENDING, hold_expires_at__lte=timezone.now())

    def holding(self, now=None):
        """Unconfirmed guests whose hold on a place has not expired."""
        return self.filter(
            status=Registration.Status.PENDING,
            holds_place=True,
            hold_expires_at__gt=now or timezone.now(),
        )

    def expired_holds(self, now=None):
        return self.filter(
            status=Registration.Status.PENDING, hold_expires_at__lte=now or timezone.now()
        )

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def attended(self):
        """Those who came: confirmed and checked in (`Registration.attended`, one by one)."""
        return self.confirmed().filter(checked_in_at__isnull=False)

    def waitlisted(self):
        """The waitlist, first come first served."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")

    def listed(self):
        """Confirmed registrants who agreed to be listed to other attendees."""
        return self.confirmed().filter(listed=True).order_by("name")

    def search(self, query):
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(Q(name__icontains=query) | Q(email__icontains=query))


class Registration(models.Model):
    """A place at an event for a user, or for a guest (registered by staff or by themself).

    A guest who registers themself is PENDING until they confirm their address by the
    emailed link; while `holds_place` and before `hold_expires_at` the pending row counts
    against the capacity. An expired hold counts for nothing (and is marked EXPIRED by the
    next registration change on the event).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired (not confirmed in time)")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    # Kept (without user, name and email) when an account is deleted, for the counts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    role = models.CharField(
        _("role"), max_length=30, choices=Member.RoleCategory.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # A guest's secret link to confirm, manage or cancel without an account: only the
    # token's salt and its SHA-256 are kept (events/tokens.py); `token` derives it.
    token_salt = models.CharField(_("link salt"), max_length=32, blank=True, editable=False)
    token_hash = models.CharField(
        _("link token hash"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    holds_place = models.BooleanField(_("holds a place"), default=False)
    # While an unconfirmed guest holds a place: the address block they registered from
    # (IPv4 /24, IPv6 /64; services.address_block), for the limit of holds per network.
    hold_network = models.CharField(max_length=50, blank=True, editable=False)
    hold_expires_at = models.DateTimeField(_("hold expires"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    listed = models.BooleanField(
        _("listed"),
        default=False,
        help_text=_("Agreed that other attendees may see their name."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    waitlisted_at = models.DateTimeField(_("joined the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    # Why staff checked someone in outside the event's days (empty on the days themselves).
    check_in_reason = models.CharField(
        _("reason for checking in early or late"), max_length=300, blank=True
    )
    no_show = models.BooleanField(_("no-show"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("events",)
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "name", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="registration_one_per_user",
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(user__isnull=True) & ~Q(email=""),
                name="registration_one_per_guest_email",
            ),
            # One person, one place: a guest and an account with the same address never
            # hold two active registrations (services._register decides it under the
            # event's lock; this is the last word).
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(email="") & ~Q(status__in=["cancelled", "expired"]),
                name="registration_one_active_per_email",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="registration_waitlisted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(hold_expires_at__isnull=False),
                name="registration_pending_has_expiry",
            ),
            models.CheckConstraint(
                condition=~(Q(no_show=True) & Q(checked_in_at__isnull=False)),
                name="registration_not_checked_in_and_no_show",
            ),
        ]
        indexes = [
            # Counts per status and the waitlist of an event, in order of joining.
            models.Index(
                fields=["event", "status", "waitlisted_at"], name="registration_status_idx"
            ),
        ]

    def __str__(self):
        return f"{self.name or _('(anonymised)')} – {self.event}"

    def clean(self):
        if self.user_id is None and not self.name and self.email:
            raise ValidationError({"name": _("A guest needs a name.")})
        if self.user_id is None and self.email and self.event_id:
            twins = Registration.objects.filter(
                event_id=self.event_id, user__isnull=True, email__lower_exact=self.email
            ).exclude(pk=self.pk)
            if twins.exists():
                raise ValidationError(
                    {"email": _("A guest with this email is already registered for this event.")}
                )
        inactive = (self.Status.CANCELLED, self.Status.EXPIRED)
        if self.email and self.event_id and self.status not in inactive:
            twins = Registration.objects.filter(
                event_id=self.event_id, email__lower_exact=self.email
            )
            if twins.exclude(status__in=inactive).exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"email": _("Someone with this email is already registered for this event.")}
                )
        if self.user_id and self.event_id:
            twins = Registration.objects.filter(event_id=self.event_id, user_id=self.user_id)
            if twins.exclude(pk=self.pk).exists():
                raise ValidationError({"user": _("This person is already registered.")})
        if self.no_show and self.checked_in_at:
            raise ValidationError({"no_show": _("Someone checked in is not a no-show.")})

    @property
    def is_guest(self):
        return self.user_id is None

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING and self.hold_expires_at > timezone.now()

    @property
    def attended(self):
        """Came to the event: confirmed and checked in (`RegistrationQuerySet.attended`).
        Surveys and certificates are for them."""
        return self.status == self.Status.CONFIRMED and self.checked_in_at is not None

    @property
    def has_link(self):
        """A guest's registration, reached by an emailed link."""
        return self.token_hash is not None

    @property
    def token(self):
        """The emailed link's token, or None (no link, or one that cannot be derived any
        more: `ensure_link` issues a new one)."""
        return tokens.token_for("registration", self.token_salt, self.token_hash)

    def issue_token(self):
        """A new link (the old one stops working); the caller saves."""
        self.token_salt, self.token_hash, token = tokens.issue("registration")
        return token

    def ensure_link(self):
        """The token of a guest's emailed link, to write into an email; None for members.

        Derived from the row's salt (events/tokens.py). A row whose token cannot be derived
        (migrated from the days of stored tokens, or made under a retired secret key) gets a
        new link here, saved: the email being written carries it, and the old link stops
        working. Called by the services before they compose; `token` never writes."""
        if not self.has_link:
            return None
        token = self.token
        if token is None:
            token = self.issue_token()
            Registration.objects.filter(pk=self.pk).update(
                token_salt=self.token_salt, token_hash=self.token_hash
            )
        return token

    def token_matches(self, token):
        return tokens.matches(token, self.token_hash)

    def get_manage_url(self, token=None):
        """A guest's page to confirm, see and cancel their registration (no account)."""
        return reverse(
            "events:guest_manage",
            kwargs={"slug": self.event.slug, "token": token or self.token},
        )


class Invitation(models.Model):
    """A private invitation to register as a guest, for one person (their email prefilled)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    # Only the salt and the SHA-256 of the link's token are kept (events/tokens.py).
    token_salt = models.CharField(_("link salt"), max_length=32, blank=True, editable=False)
    token_hash = models.CharField(
        _("link token hash"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["event", "email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint("event", Lower("email"), name="invitation_one_per_email"),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        if self.token_hash is None:
            self.issue_token()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The invitation link; it never writes. A link that cannot be derived any more
        (a retired secret key) is renewed by `ensure_link` before it is shown or sent; until
        then this is the event's registration page without an invitation."""
        url = reverse("events:register", kwargs={"slug": self.event.slug})
        token = self.token
        return f"{url}?invitation={token}" if token else url

    def ensure_link(self):
        """The invitation's token, issuing and saving a new one when the old cannot be
        derived any more (the old link stops working). Returns the token."""
        token = self.token
        if token is None:
            token = self.issue_token()
            if self.pk:
                Invitation.objects.filter(pk=self.pk).update(
                    token_salt=self.token_salt, token_hash=self.token_hash
                )
        return token

    @property
    def token(self):
        return tokens.token_for("invitation", self.token_salt, self.token_hash)

    def issue_token(self):
        self.token_salt, self.token_hash, token = tokens.issue("invitation")
        return token


from events.certificates import Certificate  # noqa: E402, F401
from events.questions import Answer, Question  # noqa: E402, F401 - models of this app
from events.surveys import SurveyResponse, SurveySubmission  # noqa: E402, F401
