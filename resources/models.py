"""The resource library: reports, articles, toolkits, recordings, case studies."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from allin_portal.models import Pathway


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Resources this user may see in full: members-only ones need the permission."""
        if user.is_authenticated and user.has_perm("resources.view_members_only_resource"):
            return self
        return self.filter(access=Resource.Access.PUBLIC)

    def case_studies(self):
        return self.filter(type=Resource.Type.CASE_STUDY)


class Resource(models.Model):
    class Type(models.TextChoices):
        REPORT = "report", _("Report")
        JOURNAL_ARTICLE = "journal_article", _("Journal article")
        CASE_STUDY = "case_study", _("Case study")
        TOOLKIT = "toolkit", _("Toolkit")
        ARTICLE = "article", _("Article or blog")
        RECORDING = "recording", _("Recording")
        POLICY_BRIEF = "policy_brief", _("Policy brief")
        DATASET = "dataset", _("Dataset")

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher or organization"), max_length=200, blank=True)
    publication_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.Key.choices, blank=True)
    topics = TaggableManager(_("topics"), blank=True)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    url = models.URLField(_("external link"), max_length=500, blank=True)
    related_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("related event"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        permissions = [
            ("view_members_only_resource", _("Can see members-only resources")),
            ("submit_case_study", _("Can submit case studies")),
            ("review_case_study", _("Can review and publish case studies")),
        ]
        indexes = [
            # The library and the home page: newest first, per access level.
            models.Index(fields=["access", "-created_at"], name="resource_newest_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", kwargs={"slug": self.slug})
