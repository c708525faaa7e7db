"""The resource library: reports, articles, toolkits, recordings, case studies."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, PostgresIndex
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from core import media
from core.content_translation import TranslatedContent
from core.countries import Region
from core.datacache import DataCacheQuerySet

SEARCH_CONFIG = "allin_unaccent"
# Queries are parsed in each configuration and OR-ed: the plain words, then the stems of
# each interface language (migration 0005_multilingual_search).
SEARCH_CONFIGS = (SEARCH_CONFIG, "allin_english", "allin_french", "allin_spanish", "allin_arabic")


def search_query(text):
    """A websearch query matching the words as typed or any language's forms of them."""
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIGS[0])
    for config in SEARCH_CONFIGS[1:]:
        query |= SearchQuery(text, search_type="websearch", config=config)
    return query


class RumIndex(PostgresIndex):
    """A RUM index (the `rum` extension, Debian's postgresql-15-rum): a GIN index that also
    keeps each word's positions, so it returns full-text matches ordered by rank (`<=>`)."""

    suffix = "rum"


class Pathway(TranslatedContent):
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

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("resources", "site")
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")

    def __str__(self):
        return self.name


def private_storage():
    """The storage of resource files (a callable, so migrations freeze no storage):
    storages["private"], a folder or a bucket (core/media.py)."""
    return media.private_storage


def portal_file_name(instance, filename):
    """A name the portal makes: never a user-supplied path."""
    return f"resources/{uuid.uuid4().hex}.pdf"


class ResourceQuerySet(DataCacheQuerySet):
    def in_workflow_view_of(self, user):
        """Published records, plus the unpublished case studies this user researches or reviews.

        Every page, search, feed and file download starts from here (through `visible_to` or
        `previewable_by`), so drafts never leak anywhere.
        """
        if user.is_authenticated and user.has_perm("resources.review_case_study"):
            return self
        published = Q(is_published=True)
        if user.is_authenticated:
            own = CaseStudy.researchers.through.objects.filter(user_id=user.pk).values(
                "casestudy__resource_id"
            )
            published |= Q(pk__in=own)
        return self.filter(published)

    def visible_to(self, user):
        """Resources this user may see in full: members-only ones need the permission."""
        qs = self.in_workflow_view_of(user)
        if user.is_authenticated and user.has_perm("resources.view_members_only_resource"):
            return qs
        return qs.filter(access=Resource.Access.PUBLIC)

    def previewable_by(self, user):
        """Records whose title and abstract this user may read (members-only ones included)."""
        return self.in_workflow_view_of(user)

    def published(self):
        return self.filter(is_published=True)

    def case_studies(self):
        """Published case studies (drafts are reached through CaseStudy.objects)."""
        return self.filter(type=Resource.Type.CASE_STUDY, is_published=True)


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

    class OECDCoverage(models.TextChoices):
        OECD = "oecd", _("OECD countries")
        NON_OECD = "non_oecd", _("Non-OECD countries")
        BOTH = "both", _("OECD and non-OECD countries")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    author_members = models.ManyToManyField(
        "members.Member",
        blank=True,
        related_name="authored_resources",
        verbose_name=_("authors who are members"),
    )
    publisher = models.CharField(_("publisher or organization"), max_length=200, blank=True)
    publication_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    countries = CountryField(_("countries covered"), multiple=True, blank=True)
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.Key.choices, blank=True)
    topics = TaggableManager(_("topics"), blank=True)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    url = models.URLField(_("external link"), max_length=500, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    file = models.FileField(
        _("file (PDF)"), upload_to=portal_file_name, storage=private_storage, blank=True
    )
    file_text = models.TextField(_("text of the file"), blank=True, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    related_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("related event"),
    )
    # Derived from `countries` by services.save_resource, for the facets.
    country_codes = ArrayField(models.CharField(max_length=2), default=list, editable=False)
    regions = ArrayField(models.CharField(max_length=30), default=list, editable=False)
    oecd_coverage = models.CharField(
        _("OECD coverage"), max_length=10, choices=OECDCoverage.choices, blank=True, editable=False
    )
    # False for case studies until a reviewer publishes them.
    is_published = models.BooleanField(_("published"), default=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("resources",)
    datacache_ignored_fields = ("download_count",)
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
            # The home page's newest for members, who see every access level.
            models.Index(
                fields=["-created_at", "title"],
                condition=Q(is_published=True),
                name="resource_newest_published_idx",
            ),
            # /resources/?q=: `search_vector @@ query ORDER BY search_vector <=> query`, the
            # best matches first without reading every matching row.
            RumIndex(
                fields=["search_vector"],
                name="resource_search_rum_idx",
                opclasses=["rum_tsvector_ops"],
            ),
            # Country and region facets: `country_codes @> ARRAY[...]`.
            GinIndex(fields=["country_codes"], name="resource_country_idx"),
            GinIndex(fields=["regions"], name="resource_region_idx"),
            # Browsing by date without a query.
            models.Index(fields=["-publication_year", "title"], name="resource_year_idx"),
            # The library's default order (newest first, resources/search.py Search.ordered):
            # its first page is read in index order, 20 rows, whatever the library's size.
            models.Index(
                F("publication_date").desc(nulls_last=True),
                F("publication_year").desc(nulls_last=True),
                "title",
                "id",
                name="resource_library_order_idx",
            ),
            # OAI-PMH harvests (evidence/oai.py): pages in (updated_at, id) order, from/until.
            models.Index(fields=["updated_at", "id"], name="resource_harvest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(publication_year__isnull=True)
                | Q(publication_year__gte=1900, publication_year__lte=2100),
                name="resource_year_plausible",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.type == self.Type.CASE_STUDY:
            return reverse("resources:case_study", kwargs={"slug": self.slug})
        return reverse("resources:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.publication_year is not None and not 1900 <= self.publication_year <= 2100:
            raise ValidationError({"publication_year": _("Enter a year between 1900 and 2100.")})

    def get_download_url(self):
        return reverse("resources:download", kwargs={"slug": self.slug})

    @property
    def region_names(self):
        return [dict(Region.choices).get(r, r) for r in self.regions]


class AbstractTranslation(models.Model):
    """The abstract in one of the portal's languages, entered in the back office where a
    translation exists. The resource's own `abstract` stays the original, in its `language`;
    readers of another language see this text, with the original a click away, and the
    library's search finds the record by the words of every translation."""

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="abstract_translations",
        verbose_name=_("resource"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("translated title"), max_length=300, blank=True)
    text = models.TextField(_("translated abstract"))

    class Meta:
        ordering = ["language"]
        verbose_name = _("translated abstract")
        verbose_name_plural = _("translated abstracts")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "language"], name="abstract_translation_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.resource} ({self.language})"

    def clean(self):
        if self.resource_id and self.language == self.resource.language:
            raise ValidationError(
                {"language": _("The abstract itself is in this language: edit it above.")}
            )


class FileVersion(models.Model):
    """Every file uploaded for a resource; the newest is also `Resource.file`."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="file_versions", verbose_name=_("resource")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=portal_file_name, storage=private_storage)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="file_version_unique"),
        ]

    def __str__(self):
        return f"{self.resource} v{self.number}"


class CaseStudy(models.Model):
    """A resource of type case study, with what researchers report and its review status."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, related_name="case_study", verbose_name=_("resource")
    )
    program = models.ForeignKey(
        "members.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name=_("program studied"),
    )
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name=_("provider organization"),
    )
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="case_studies", verbose_name=_("researchers")
    )
    country = CountryField(_("country"), blank=True)
    research_questions = models.TextField(_("research questions"), blank=True)
    methods = models.TextField(_("methods"), blank=True)
    key_findings = models.TextField(_("key findings"), blank=True)
    lessons = models.TextField(_("lessons for others"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The data cache's figures read these rows (core.datacache: every write bumps them).
    datacache_namespaces = ("resources",)
    objects = DataCacheQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        indexes = [
            # The review queue: case studies waiting for a reviewer, oldest first.
            models.Index(fields=["status", "updated_at"], name="case_study_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "in_review",
                        "changes_requested",
                        "published",
                        "archived",
                    ]
                ),
                name="case_study_status_valid",
            ),
        ]

    def __str__(self):
        return str(self.resource)

    def get_absolute_url(self):
        return reverse("resources:case_study", kwargs={"slug": self.resource.slug})

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)


class StatusChange(models.Model):
    """One step of a case study's review: who, when, from which status to which, and why."""

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="history", verbose_name=_("case study")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=CaseStudy.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStudy.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.case_study}: {self.from_status} → {self.to_status}"


class UsageByYear(models.Model):
    """How often the library was used, per calendar year: file downloads and citation
    exports (BibTeX/RIS), for the impact indicators ("research is cited widely")."""

    class Kind(models.TextChoices):
        DOWNLOAD = "download", _("Downloads")
        CITATION_EXPORT = "citation_export", _("Citation exports")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["kind", "year"]
        verbose_name = _("use per year")
        verbose_name_plural = _("use per year")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="usage_by_year_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}: {self.count}"


def pending_file_name(instance, filename):
    return f"pending/{uuid.uuid4().hex}.pdf"


class PendingUpload(models.Model):
    """A checked PDF kept for its uploader when the rest of the form was not valid yet,
    so that they need not choose it again; used (and deleted) by the next valid save."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pending_uploads",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to=pending_file_name, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self):
        return self.original_name


class TopicTranslation(models.Model):
    """A topic's name in one of the portal's languages (topics are django-taggit tags, named
    in English). Readers of that language see it; the library's search finds records by it."""

    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, related_name="translations", verbose_name=_("topic")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["language"]
        verbose_name = _("translated topic")
        verbose_name_plural = _("translated topics")
        constraints = [
            models.UniqueConstraint(
                fields=["tag", "language"], name="topic_translation_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"
