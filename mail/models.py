"""The outbox (every email the portal sends, one row per recipient) and what each address
chose to receive. Ground floor: the account model is settings.AUTH_USER_MODEL."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What an email is; every kind but transactional can be turned off by its recipient."""

    TRANSACTIONAL = "transactional", _("Account and registration emails")
    ANNOUNCEMENT = "announcement", _("Announcements from the network")
    EVENT_NEWS = "event_news", _("Event news (reminders, follow-ups, messages from event staff)")
    DIGEST = "digest", _("Weekly digest of new resources and case studies")
    GROUPS = "groups", _("Working group discussions (each group's own choice applies too)")


class MessageQuerySet(models.QuerySet):
    def figures(self):
        """{state: count} in one query."""
        rows = self.order_by().values_list("state").annotate(n=models.Count("pk"))
        return {state: n for state, n in rows}


class Message(models.Model):
    """One email to one address, rendered in the recipient's language when it was queued."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled (unsubscribed)")

    # allauth's emails (mail.adapters) carry sign-in secrets: password reset and
    # address confirmation links, codes. The back office shows their state, never their text.
    SECRET_TEMPLATE_PREFIX = "account/"  # noqa: S105 - a template folder, not a password

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    to = models.EmailField(_("to"), max_length=254)
    # Deleting an account deletes its emails, so nothing queued reaches a deleted account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    reply_to = models.EmailField(_("reply to"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    # [{"name": ..., "content": base64, "mimetype": ...}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # The one reference upward, by name only (no import): announcements count their
    # deliveries through it. Mail's code never reads it.
    announcement = models.ForeignKey(
        "communications.Announcement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("announcement"),
    )
    # Its stored text has the sign-in secrets masked; the real text waits in SealedText.
    sealed = models.BooleanField(_("secret kept apart"), default=False, editable=False)
    # Set for emails that must exist at most once (reminders, follow-ups, digests).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The scheduler's sweep of messages a crashed worker left in "sending".
            models.Index(fields=["state", "claimed_at"], name="message_state_claimed_idx"),
            # Delivery figures per announcement.
            models.Index(fields=["announcement", "state"], name="message_announcement_idx"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def carries_secret(self):
        return self.template.startswith(self.SECRET_TEMPLATE_PREFIX)


class SealedText(models.Model):
    """The real text of an email whose outbox copy is masked (allauth's password reset links,
    address confirmation keys, sign-in codes). Read by delivery only, in no back-office page;
    deleted once the email is sent, or when it expires (`outbox.purge_sealed`)."""

    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    # The scheduler's purge of secrets never sent.
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"sealed text of email {self.message_id}"


class Subscription(models.Model):
    """One address's choice for one kind of email. No row: the kind's default."""

    DEFAULTS = {
        Kind.ANNOUNCEMENT: True,
        Kind.EVENT_NEWS: True,
        Kind.DIGEST: False,
        Kind.GROUPS: True,
    }

    email = models.EmailField(_("email address"), max_length=254)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subscribed = models.BooleanField(_("receives"))
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="subscription_one_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(kind="transactional"), name="subscription_not_transactional"
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.kind} {'on' if self.subscribed else 'off'}"
