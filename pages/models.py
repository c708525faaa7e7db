"""Site text the secretariat edits in the back office: content blocks,
impact indicators, partners, the journey's stages and the
Living Lab's reading lists."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.content_translation import TranslatedContent
from core.datacache import DataCacheQuerySet


class ContentBlock(TranslatedContent):
    """A named piece of site text (Markdown), looked up by key from templates."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("site",)
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("content block")
        verbose_name_plural = _("content blocks")
        # The Translators' one right: edit the translations of the network's content (every
        # kind of it, on /admin/translations/), never the English or any other field.
        permissions = [("translate_content", _("Can translate the network's content"))]

    def __str__(self):
        return self.title or self.key


class ImpactIndicator(TranslatedContent):
    """A key impact indicator of the 2025 strategy, tied to the figures that measure it
    (computed in evidence/measures.py); without measures, the page says the portal cannot
    measure it and shows the evidence links instead."""

    class Term(models.TextChoices):
        SHORT = "short", _("Short term")
        LONG = "long", _("Long term")

    class Measure(models.TextChoices):
        CASE_STUDIES = "case_studies", _("Case studies published per year")
        NON_OECD_CASE_STUDIES = (
            "non_oecd_case_studies",
            _("Non-OECD share of case studies per year"),
        )
        NON_OECD_RESOURCES = (
            "non_oecd_resources",
            _("Resources on non-OECD countries per publication year"),
        )
        DOWNLOADS = "downloads", _("Downloads and citation exports per year")
        PARTNERSHIPS = "partnerships", _("Organizations with a program, by type")
        PARTNER_REGIONS = "partner_regions", _("Organizations with a program, by region")
        EVENTS = "events", _("Events held per year")
        PARTICIPANTS = "participants", _("Participants by region")

    term = models.CharField(_("term"), max_length=10, choices=Term.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    measures = ArrayField(
        models.CharField(max_length=30, choices=Measure.choices),
        verbose_name=_("measures"),
        default=list,
        blank=True,
        help_text=_("Figures computed from the portal's data. None: not measurable here."),
    )
    measurement_note = models.TextField(
        _("note on measurement"),
        blank=True,
        help_text=_("Shown with the indicator, e.g. why the portal cannot measure it."),
    )
    evidence_links = models.TextField(
        _("evidence links"),
        blank=True,
        help_text=_("One per line: an address, optionally followed by a space and its title."),
    )

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("site",)
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["term", "order"]
        verbose_name = _("impact indicator")
        verbose_name_plural = _("impact indicators")
        constraints = [
            models.UniqueConstraint(fields=["term", "order"], name="indicator_unique_order"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def measurable(self):
        return bool(self.measures)

    def links(self):
        """[(url, title)] from `evidence_links`; only http(s) addresses."""
        result = []
        for line in self.evidence_links.splitlines():
            url, _sep, title = line.strip().partition(" ")
            if url.startswith(("https://", "http://")):
                result.append((url, title.strip() or url))
        return result


class Partner(TranslatedContent):
    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        PERSON = "person", _("Person")
        NETWORK = "network", _("Network")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    position = models.CharField(_("position"), max_length=200, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("site",)
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class JourneyStage(TranslatedContent):
    """A stage of the network's journey ("Setting the scene: Accra & New York Workshops"),
    with its narrative and the gatherings that belong to it (the journey page)."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("For example: Setting the scene.")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    narrative = models.TextField(_("narrative (Markdown)"), blank=True)
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="journey_stages", verbose_name=_("gatherings")
    )

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("site",)
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("journey stage")
        verbose_name_plural = _("journey stages")

    def __str__(self):
        return f"{self.name}: {self.title}" if self.title else self.name


class ReadingList(TranslatedContent):
    """A named group of articles and accounts shown on a site page (the Living Lab's
    "More on Educational Leadership", "Special Focus: Series of Articles by Global Experts")."""

    class Page(models.TextChoices):
        LIVING_LAB = "living_lab", _("Living Lab")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    page = models.CharField(_("page"), max_length=20, choices=Page.choices, default=Page.LIVING_LAB)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction (Markdown)"), blank=True)

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("site",)
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["page", "order", "key"]
        verbose_name = _("reading list")
        verbose_name_plural = _("reading lists")

    def __str__(self):
        return self.title


class ReadingListItem(models.Model):
    """One entry of a reading list: a resource of the library or an event's account."""

    reading_list = models.ForeignKey(
        ReadingList, on_delete=models.CASCADE, related_name="items", verbose_name=_("reading list")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resource"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("site",)
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=False, event__isnull=True)
                | Q(resource__isnull=True, event__isnull=False),
                name="reading_list_item_one_target",
            ),
        ]

    def __str__(self):
        return str(self.resource or self.event)

    def clean(self):
        if bool(self.resource_id) == bool(self.event_id):
            raise ValidationError(_("Choose either a resource or an event."))

    @property
    def target(self):
        return self.resource or self.event
