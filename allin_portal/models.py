"""Site text the secretariat edits in the back office: content blocks,
the three pathways, impact indicators and partners."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentBlock(models.Model):
    """A named piece of site text (Markdown), looked up by key from templates."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("content block")
        verbose_name_plural = _("content blocks")

    def __str__(self):
        return self.title or self.key


class Pathway(models.Model):
    """One of ALL-IN's three pathways to success (2025 strategy)."""

    class Key(models.TextChoices):
        RESEARCH = "research", _("Research")
        PROGRAMS = "programs", _("Programs")
        ADVOCACY = "advocacy", _("Advocacy")

    key = models.CharField(_("key"), max_length=20, choices=Key.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"))
    actions = models.TextField(_("actions (Markdown list)"))
    summary_goal = models.CharField(_("goal in one line"), max_length=300, blank=True)
    summary_action = models.CharField(_("action in one line"), max_length=300, blank=True)
    examples = models.CharField(_("examples of work"), max_length=200, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")

    def __str__(self):
        return self.name


class ImpactIndicator(models.Model):
    class Term(models.TextChoices):
        SHORT = "short", _("Short term")
        LONG = "long", _("Long term")

    term = models.CharField(_("term"), max_length=10, choices=Term.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["term", "order"]
        verbose_name = _("impact indicator")
        verbose_name_plural = _("impact indicators")
        constraints = [
            models.UniqueConstraint(fields=["term", "order"], name="indicator_unique_order"),
        ]

    def __str__(self):
        return self.text[:80]


class Partner(models.Model):
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

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name
