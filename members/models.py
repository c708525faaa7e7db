"""People and organizations of the network.

The login is `User` (email, no username). `Member` is the directory profile
of an approved or applying user; `Organization` and `Program` are how
members showcase their school-leadership development work.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Lower, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from allin_portal.countries import Region, is_oecd, region_for


class Unaccent(models.Func):
    """`members_unaccent(text)`: PostgreSQL's unaccent, wrapped as IMMUTABLE (migration 0003)
    so that an index can be built on it."""

    function = "members_unaccent"
    output_field = models.TextField()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def with_email(self, address):
        """The account with this address, whatever the case of its letters, or None.

        Addresses are unique regardless of case (constraint `user_email_ci_unique`), so there
        is at most one. Every lookup of an account by address goes through this verb."""
        address = (address or "").strip()
        if not address:
            return None
        return self.filter(email__lower_exact=address).first()

    def with_emails(self, addresses):
        """The accounts of many addresses at once (one query): {lower-cased address: user}."""
        wanted = {a.strip().lower() for a in addresses if a and a.strip()}
        if not wanted:
            return {}
        found = self.annotate(email_lower=Lower("email")).filter(email_lower__in=wanted)
        return {user.email_lower: user for user in found}

    def get_by_natural_key(self, username):
        # Django's sign-in backend and createsuperuser: the address in any case.
        user = self.with_email(username)
        if user is None:
            raise self.model.DoesNotExist
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. The email address is the login."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # The interface language the person chose; emails to them are written in it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # The back office's search by email (members' and users' lists):
            # UPPER("members_user"."email"::text) LIKE UPPER('%...%'), Django's icontains.
            GinIndex(
                OpClass(Upper(Cast("email", models.TextField())), name="gin_trgm_ops"),
                name="user_email_upper_trgm_idx",
            ),
        ]
        constraints = [
            # One account per address whatever the case: Mixed.Case@Example.org is
            # mixed.case@example.org. Its index serves `User.objects.with_email(es)`.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.email


class OrganizationQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Organizations this user may edit (with their programs): those whose contact is
        the user's own approved profile."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(contact__user=user, contact__status=Member.Status.APPROVED)


class Organization(models.Model):
    class Type(models.TextChoices):
        SCHOOL_ASSOCIATION = "school_association", _("School association")
        PROGRAM_PROVIDER = "program_provider", _("Leadership program provider")
        UNIVERSITY_RESEARCH = "university_research", _("University or research centre")
        GOVERNMENT_POLICY = "government_policy", _("Government or policy body")
        NGO_FOUNDATION = "ngo_foundation", _("NGO or foundation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices, default=Type.OTHER)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    logo = models.ImageField(_("logo"), upload_to="organizations/", blank=True)
    contact = models.ForeignKey(
        "Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for",
        verbose_name=_("contact"),
        help_text=_("The member who may edit this organization's programs."),
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]  # "EdDevTrust" before "EWI"
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organization", kwargs={"slug": self.slug})


class Program(models.Model):
    """A school-leadership development program run by an organization."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="programs",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    countries = CountryField(_("countries served"), multiple=True, blank=True)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    leaders_per_year = models.PositiveIntegerField(
        _("leaders reached per year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
    )
    evidence = models.TextField(
        _("evidence of impact"),
        blank=True,
        help_text=_("Links to evaluations or reports, one address per line."),
    )
    featured = models.BooleanField(
        _("featured on the About page"),
        default=False,
        help_text=_("The network's own programs, such as ELL."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self):
        return self.name

    def evidence_links(self):
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


def _listed(user):
    visible = [Member.Visibility.PUBLIC]
    if user.is_authenticated and user.has_perm("members.view_members_only_profile"):
        visible.append(Member.Visibility.MEMBERS)
    return Q(status=Member.Status.APPROVED, visibility__in=visible)


class MemberQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Member.Status.APPROVED)

    def listed_for(self, user):
        """Approved profiles this user may see in the directory."""
        return self.filter(_listed(user))

    def open_to(self, user):
        """Profiles this user may open: listed ones, and always their own (one condition on
        the row: a `pk IN (listed)` subquery read every member to open one profile)."""
        condition = _listed(user)
        if user.is_authenticated:
            condition |= Q(user=user)
        return self.filter(condition)

    def with_expertise_names(self):
        """`expertise_names`: the member's expertise tag names as a list, in the same query
        (taggit's manager would cost a query per row)."""
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        names = (
            TaggedItem.objects.filter(
                content_type_id=ContentType.objects.get_for_model(Member).pk,
                object_id=models.OuterRef("pk"),
            )
            .order_by("tag__name")
            .values("tag__name")
        )
        return self.annotate(expertise_names=ArraySubquery(names))

    def search(self, query):
        """Typo- and accent-forgiving search across name, organization, country and
        expertise (pg_trgm word similarity on the GIN-indexed unaccented search text)."""
        query = " ".join(str(query).lower().split())[:100]
        if not query:
            return self
        if len(query) < 3:  # too short for trigrams
            return self.filter(search_text__contains=Unaccent(models.Value(query)))
        # Word similarity also finds exact substrings (similarity 1); one GIN index scan.
        return self.filter(search_text__trigram_word_similar=Unaccent(models.Value(query)))

    def order_by_closeness(self, query):
        """Closest matches of `search(query)` first (word similarity), then by name."""
        query = " ".join(str(query).lower().split())[:100]
        if len(query) < 3:
            return self.order_by("name")
        closeness = TrigramWordSimilarity(Unaccent(models.Value(query)), "search_text")
        return self.annotate(closeness=closeness).order_by("-closeness", "name")

    def unaccent_search_text(self):
        """After bulk writes of `search_text`: strip its accents in SQL, as the search does."""
        return self.update(search_text=Unaccent("search_text"))


class Member(models.Model):
    """A person's profile in the network directory (one per user)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        LAPSED = "lapsed", _("Lapsed")
        REJECTED = "rejected", _("Rejected")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")
        HIDDEN = "hidden", _("Hidden")

    class RoleCategory(models.TextChoices):
        ACADEMIC = "academic", _("Academic or researcher")
        PROGRAM_PROVIDER = "program_provider", _("Program provider")
        PRACTITIONER = "practitioner", _("Practitioner or school leader")
        POLICYMAKER = "policymaker", _("Policymaker")
        ASSOCIATION_LEADER = "association_leader", _("School association leader")
        FUNDER = "funder", _("Funder")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="member", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organization"),
    )
    country = CountryField(_("country"), blank=True)
    status = models.CharField(
        _("membership status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    visibility = models.CharField(
        _("directory visibility"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)

    # The full profile.
    photo = models.ImageField(_("photo"), upload_to="members/", blank=True)
    region = models.CharField(
        _("region"), max_length=30, choices=Region.choices, blank=True, editable=False
    )
    oecd = models.BooleanField(_("OECD country"), default=False, editable=False)
    role_category = models.CharField(
        _("role"), max_length=30, choices=RoleCategory.choices, default=RoleCategory.OTHER
    )
    expertise = TaggableManager(_("expertise"), blank=True, help_text=_("Comma-separated."))
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: English, French.")
    )
    bio = models.TextField(_("bio"), blank=True, max_length=5000, help_text=_("Markdown."))
    website = models.URLField(_("website"), blank=True)
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$",
                _("Enter an ORCID iD like 0000-0002-1825-0097."),
            )
        ],
    )
    linkedin = models.URLField(
        _("LinkedIn"),
        blank=True,
        validators=[
            RegexValidator(
                r"^https://([a-z]{2,3}\.)?linkedin\.com/",
                _("Enter a LinkedIn address (https://www.linkedin.com/in/...)."),
            )
        ],
    )
    show_email = models.BooleanField(_("show my email address to members"), default=False)
    motivation = models.TextField(_("motivation"), blank=True, max_length=2000)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Name, position, organization, country and expertise, lower-cased and unaccented
    # (in SQL, members_unaccent) by `refresh_search_text()`; trigram-indexed.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [
            ("view_members_only_profile", _("Can see members-only profiles")),
        ]
        indexes = [
            # The directory: approved profiles of a visibility level, by name.
            models.Index(fields=["status", "visibility", "name"], name="member_directory_idx"),
            # The same for members, who see two visibility levels: by name among all
            # approved profiles (an IN list of visibilities cannot walk the index above).
            models.Index(
                fields=["name", "id"],
                condition=Q(status="approved"),
                name="member_approved_name_idx",
            ),
            # The directory's search (?q=): search_text %> members_unaccent(q), and LIKE.
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="member_search_idx"),
            # Directory filters: country, region, role (combined with status and visibility).
            models.Index(fields=["country", "status"], name="member_country_idx"),
            models.Index(fields=["region", "status"], name="member_region_idx"),
            models.Index(fields=["role_category", "status"], name="member_role_idx"),
            # The back office's pending applications, oldest first (scanned backwards).
            models.Index(fields=["status", "-applied_at"], name="member_applied_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Derived from the country (data in allin_portal/countries.py), never typed in.
        self.region = region_for(self.country)
        self.oecd = is_oecd(self.country)
        if self.status == self.Status.APPROVED and not self.member_since:
            self.member_since = timezone.localdate()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", kwargs={"slug": self.slug})

    def build_search_text(self, expertise=None):
        """The text the directory search looks in (lower-cased; unaccented in SQL)."""
        if expertise is None:
            expertise = [tag.name for tag in self.expertise.all()]
        parts = [self.name, self.position]
        if self.organization_id:
            parts.append(self.organization.name)
        if self.country:
            parts.append(str(self.country.name))
        parts.extend(expertise)
        return " ".join(p for p in parts if p).lower()

    def refresh_search_text(self):
        Member.objects.filter(pk=self.pk).update(
            search_text=Unaccent(models.Value(self.build_search_text()))
        )
        self.search_text = Member.objects.values_list("search_text", flat=True).get(pk=self.pk)

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class AccountDeletion(models.Model):
    """A deleted account: who asked and when (the account itself is gone)."""

    email = models.EmailField(_("email address of the deleted account"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_by_email = models.EmailField(_("requested by (email)"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("account deletion")
        verbose_name_plural = _("account deletions")

    def __str__(self):
        return f"{self.email} ({self.requested_at:%Y-%m-%d})"


class ContactMessage(models.Model):
    """One message sent through the contact form: only who, to whom and when, for the
    daily limit. The text itself is emailed, never stored."""

    DAILY_LIMIT = 20

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_messages_sent"
    )
    recipient = models.ForeignKey(
        "Member", on_delete=models.CASCADE, related_name="contact_messages_received"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        indexes = [
            # The daily limit: messages of one sender in the last 24 hours.
            models.Index(fields=["sender", "-sent_at"], name="contact_sender_sent_idx"),
        ]

    def __str__(self):
        return f"{self.sender_id} → {self.recipient_id} ({self.sent_at:%Y-%m-%d %H:%M})"
