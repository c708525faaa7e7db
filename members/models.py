"""People and organizations of the network.

The login is `User` (email, no username). `Member` is the directory profile
of an approved or applying user; `Organization` and `Program` are how
members showcase their school-leadership development work.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
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

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email


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
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organization", kwargs={"slug": self.slug})


class Program(models.Model):
    """A school-leadership development program run by an organization."""

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
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self):
        return self.name


class MemberQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Member.Status.APPROVED)

    def listed_for(self, user):
        """Approved profiles this user may see in the directory."""
        visible = [Member.Visibility.PUBLIC]
        if user.is_authenticated and user.has_perm("members.view_members_only_profile"):
            visible.append(Member.Visibility.MEMBERS)
        return self.approved().filter(visibility__in=visible)


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
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:detail", kwargs={"slug": self.slug})
