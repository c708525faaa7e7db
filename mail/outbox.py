"""Every email of the portal: written into the outbox, delivered by the task queue.

`send()` renders the email in the recipient's language and records it with its delivery
task in the caller's transaction: with the database task backend the task row commits (or
rolls back) together with the change that caused the email, so nothing is sent for a change
that is undone and nothing is lost between the commit and the queue. The worker then claims
each message with a conditional UPDATE (queued → sending), so two workers never send the
same message; temporary SMTP errors are retried with exponential backoff
(`OUTBOX_RETRY_SECONDS`, doubled each attempt) up to `OUTBOX_MAX_ATTEMPTS`, then the message
is marked failed with its error, visible and re-sendable in the back office.

What a person waits for comes first. Account and registration emails are delivered by tasks
on the "default" queue, with the import jobs; mail to many (announcements, reminders,
digests, and the confirmations an attendee import writes, see `in_bulk()`) goes in batches
of `BATCH` messages, one task each, on the "bulk" queue at a lower priority. A worker serving
both queues (`db_worker --queue-name default,bulk`) takes the default queue's tasks first;
one serving "default" alone never meets a bulk task at all.
"""

import base64
import contextvars
import logging
import smtplib
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from core.emails import site_url
from mail.models import Kind, Message, SealedText, Subscription

logger = logging.getLogger(__name__)

# How many messages one delivery task sends over one SMTP connection.
BATCH = 100
# Mail to many: its own queue, and below the default priority (0) for workers that serve both.
BULK_QUEUE = "bulk"
BULK_PRIORITY = -50
# Inside `in_bulk()`: the ids of the messages written, handed over in batches at its end.
_bulk_ids = contextvars.ContextVar("outbox_bulk_ids", default=None)
# What the outbox keeps of a sign-in secret; and how long its real text waits to be sent
# (retries span about two hours; a reset link is asked for again after that).
MASK = "••••••"
SEALED_LIFETIME = timedelta(hours=24)
UNSUBSCRIBE_SALT = "communications.unsubscribe"


def language_of(user=None, fallback=None):
    """The language to write to someone in: the one they chose, else the request's."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (getattr(user, "language", None), fallback, translation.get_language()):
        if candidate and candidate.split("-")[0] in codes:
            return candidate.split("-")[0]
    return settings.LANGUAGE_CODE


def _one_line(text):
    return " ".join(text.split())


def render(template, context, language):
    """(subject, text, html) of `emails/<template>_subject.txt`, `_body.txt` and the optional
    `_body.html`, rendered under the recipient's language."""
    with translation.override(language):
        subject = _one_line(render_to_string(f"emails/{template}_subject.txt", context))
        body = render_to_string(f"emails/{template}_body.txt", context)
        try:
            html = render_to_string(f"emails/{template}_body.html", context)
        except TemplateDoesNotExist:
            html = ""
    return subject, body, html


def unsubscribe_token(email, kind):
    return signing.dumps([email.lower(), str(kind)], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(email, kind) or raises signing.BadSignature."""
    email, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if kind not in Subscription.DEFAULTS:
        raise signing.BadSignature("unknown kind")
    return email, kind


def unsubscribe_url(email, kind):
    return site_url(reverse("mail:unsubscribe", args=[unsubscribe_token(email, kind)]))


def list_headers(url):
    """RFC 2369 and RFC 8058: mail clients offer their own one-click unsubscribe button."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def attachment(name, content, mimetype):
    if isinstance(content, str):
        content = content.encode()
    return {"name": name, "content": base64.b64encode(content).decode(), "mimetype": mimetype}


def message(*, kind, to, template, language, subject, body, html="", user=None, **fields):
    """The one constructor of outbox rows (unsaved): every email, whoever wrote it, is
    normalised here (one-line subject, lengths the columns hold). Save with `queue()`."""
    if user is not None:
        fields["user"] = user
    return Message(
        kind=kind,
        to=to,
        template=template[:100],
        language=language,
        subject=_one_line(subject)[:300],
        body=body,
        html=html or "",
        **fields,
    )


def queue(messages):
    """Write these messages to the outbox and queue their delivery, in the caller's
    transaction: account and registration emails on the default queue, mail to many on the
    bulk queue (and everything written inside `in_bulk()` at its end); returns them saved."""
    created = Message.objects.bulk_create(messages, batch_size=1000)
    collected = _bulk_ids.get()
    if collected is not None:  # inside in_bulk(): handed over at the block's end
        collected.extend(m.pk for m in created)
    else:
        hand_over([m.pk for m in created if m.kind == Kind.TRANSACTIONAL])
        hand_over([m.pk for m in created if m.kind != Kind.TRANSACTIONAL], bulk=True)
    return created


def send(
    template,
    *,
    to,
    context,
    kind=Kind.TRANSACTIONAL,
    language=None,
    reply_to="",
    attachments=(),
    dedupe_key=None,
):
    """Queue one email to a User or an address; returns the Message (None when the address
    chose not to receive this kind).

    The language is the account's (`User.language`); for an address without an account,
    `language` or else the language of the request being served."""
    user = to if hasattr(to, "email") else None
    email = user.email if user else to
    if not email:
        return None
    language = language_of(user, language) if user else language_of(None, language)
    headers = {}
    if kind != Kind.TRANSACTIONAL:
        if not wants(email, kind):
            return None
        url = unsubscribe_url(email, kind)
        headers = list_headers(url)
        context = {**context, "unsubscribe_url": url}
    subject, body, html = render(template, {**context, "recipient": user}, language)
    (queued,) = queue(
        [
            message(
                kind=kind,
                to=email,
                user=user,
                template=template,
                language=language,
                subject=subject,
                body=body,
                html=html,
                reply_to=reply_to or "",
                headers=headers,
                attachments=list(attachments),
                dedupe_key=dedupe_key,
            )
        ]
    )
    return queued


def send_once(template, *, to, context, kind, key, **extra):
    """Queue the email unless one with this `dedupe_key` exists; True when written now."""
    try:
        with transaction.atomic():
            return (
                send(template, to=to, context=context, kind=kind, dedupe_key=key, **extra)
                is not None
            )
    except IntegrityError:
        return False


@contextmanager
def in_bulk():
    """Every message `send()` writes inside this block is handed over at its end, in batches
    on the bulk queue (for work that writes many emails: reminders, an attendee import's
    confirmations). Use it inside the transaction that writes them, so the delivery tasks
    commit with the messages; nothing is handed over when the block raises."""
    if _bulk_ids.get() is not None:  # already collecting: the outer block hands over
        yield
        return
    collected = []
    token = _bulk_ids.set(collected)
    try:
        yield
    finally:
        _bulk_ids.reset(token)
    hand_over(collected, bulk=True)


def on_bulk_queue(task_):
    """The task on the bulk queue, below the default priority."""
    return task_.using(queue_name=BULK_QUEUE, priority=BULK_PRIORITY)


def hand_over(ids, *, bulk=False, run_after=None):
    """Queue delivery tasks for these messages, in batches, in the current transaction:
    on the bulk queue when `bulk`, else on the default queue."""
    task_ = on_bulk_queue(deliver) if bulk else deliver
    for start in range(0, len(ids), BATCH):
        enqueue(task_, list(ids[start : start + BATCH]), bulk, run_after=run_after)


def hand_over_by_kind(ids):
    """Queue these messages again, transactional ones on the default queue."""
    kinds = dict(Message.objects.filter(pk__in=ids).values_list("pk", "kind"))
    hand_over([pk for pk in ids if kinds.get(pk) == Kind.TRANSACTIONAL])
    hand_over([pk for pk in ids if kinds.get(pk) != Kind.TRANSACTIONAL], bulk=True)


def enqueue(task_, *args, run_after=None):
    """Enqueue on the configured backend. The database backend writes the task row in the
    caller's transaction (it becomes visible to workers at the commit, and vanishes with a
    rollback); any other backend (the tests' immediate one) is handed the task after the
    commit. A backend that cannot defer gets only tasks that are due: the scheduler's round
    hands over the others when their time comes."""
    from django_tasks_db.backend import DatabaseBackend

    backend = task_.get_backend()
    if run_after is not None:
        if backend.supports_defer:
            task_ = task_.using(run_after=run_after)
        elif run_after > timezone.now():
            return
    if isinstance(backend, DatabaseBackend):
        task_.enqueue(*args)
    else:
        transaction.on_commit(lambda: task_.enqueue(*args))


def wants(email, kind):
    """Does this address receive this kind of email?"""
    if kind == Kind.TRANSACTIONAL:
        return True
    row = Subscription.objects.filter(email=email.lower(), kind=kind).first()
    return row.subscribed if row else Subscription.DEFAULTS[kind]


def _email_of(message, connection):
    email = EmailMultiAlternatives(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=message.headers,
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for item in message.attachments:
        email.attach(item["name"], base64.b64decode(item["content"]), item["mimetype"])
    return email


def is_temporary(error):
    """Worth trying again later: the server is away, busy, or answered 4xx."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def retry_delay(attempts):
    base = settings.OUTBOX_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def claim(ids):
    """queued → sending, each message for exactly one worker: rows another worker is claiming
    are skipped (SKIP LOCKED), rows no longer queued are left alone. Messages whose address
    unsubscribed from their kind since they were queued are cancelled instead. Returns the
    claimed Messages, in the order asked."""
    with transaction.atomic():
        pks = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, state=Message.State.QUEUED)
            .values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=pks).update(
            state=Message.State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
    messages = list(Message.objects.filter(pk__in=pks).order_by("pk"))
    optional = [m for m in messages if m.kind != Kind.TRANSACTIONAL]
    if optional:
        off = set(
            Subscription.objects.filter(
                email__in={m.to.lower() for m in optional},
                kind__in={m.kind for m in optional},
                subscribed=False,
            ).values_list("email", "kind")
        )
        defaults_off = {k for k, on in Subscription.DEFAULTS.items() if not on}
        if defaults_off:  # kinds off by default: only an explicit "on" lets them through
            on = set(
                Subscription.objects.filter(
                    email__in={m.to.lower() for m in optional},
                    kind__in=defaults_off,
                    subscribed=True,
                ).values_list("email", "kind")
            )
            off |= {
                (m.to.lower(), m.kind)
                for m in optional
                if m.kind in defaults_off and (m.to.lower(), m.kind) not in on
            }
        cancelled = [m.pk for m in optional if (m.to.lower(), m.kind) in off]
        if cancelled:
            Message.objects.filter(pk__in=cancelled).update(state=Message.State.CANCELLED)
            messages = [m for m in messages if m.pk not in set(cancelled)]
    return messages


@task()
def deliver(message_ids, bulk=False):
    """Send these queued messages over one SMTP connection; reschedule temporary failures
    (all in one task per retry time, on the same queue, and without trying the rest of the
    batch when the server cannot be reached at all)."""
    connection = None
    sent = 0
    retries = {}
    # Not claimed: another worker has it, it was sent, or the account is gone.
    messages = _unseal(claim(message_ids))
    try:
        for index, message in enumerate(messages):
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    try:
                        connection.open()
                    except Exception as error:  # noqa: BLE001 - the server is unreachable
                        connection = None
                        for waiting in messages[index:]:
                            _record_failure(waiting, error, retries)
                        break
                _email_of(message, connection).send()
            except Exception as error:  # noqa: BLE001 - every failure is recorded on the message
                if connection is not None:
                    try:
                        connection.close()
                    except Exception:  # noqa: BLE001, S110 - the connection is broken anyway
                        pass
                    connection = None
                _record_failure(message, error, retries)
            else:
                _mark_sent(message)
                sent += 1
    finally:
        if connection is not None:
            connection.close()
        # Back to the queue and its task in one transaction: a crash before this leaves them
        # "sending", and the scheduler's sweep queues them again.
        for when, failures in retries.items():
            with transaction.atomic():
                for pk, text in failures:
                    Message.objects.filter(pk=pk, state=Message.State.SENDING).update(
                        state=Message.State.QUEUED, last_error=text, next_attempt_at=when
                    )
                hand_over([pk for pk, _text in failures], bulk=bulk, run_after=when)
    return sent


def _mark_sent(message):
    """Without waiting for the disk flush (synchronous_commit off for this one transaction):
    one flush per email was most of a worker's time. Only a crash of PostgreSQL itself could
    lose the mark; the message then stays "sending" and is sent again by the sweep."""
    with transaction.atomic():
        with db_connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        Message.objects.filter(pk=message.pk).update(
            state=Message.State.SENT, sent_at=timezone.now(), last_error=""
        )
        if message.sealed:
            SealedText.objects.filter(message_id=message.pk).delete()


def _unseal(messages):
    """The claimed messages, those with a secret carrying their real text (in memory only).
    One whose secret expired before it could be sent fails: its masked text is no use."""
    sealed = [m.pk for m in messages if m.sealed]
    if not sealed:
        return messages
    texts = {t.message_id: t for t in SealedText.objects.filter(message_id__in=sealed)}
    ready = []
    for message in messages:
        text = texts.get(message.pk)
        if message.sealed and (text is None or text.expires_at <= timezone.now()):
            Message.objects.filter(pk=message.pk).update(
                state=Message.State.FAILED,
                last_error="The sign-in link or code expired before it could be sent.",
            )
            continue
        if text is not None:
            message.subject, message.body, message.html = text.subject, text.body, text.html
        ready.append(message)
    return ready


def purge_sealed(now=None):
    """Delete the real texts of secret-carrying emails that were never sent in time."""
    deleted, _per_model = SealedText.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def _record_failure(message, error, retries):
    """Back to the queue for a later attempt (collected in `retries`), or failed for good."""
    text = f"{type(error).__name__}: {error}"[:2000]
    logger.warning(
        "Email %s to %s failed (attempt %s): %s", message.pk, message.to, message.attempts, text
    )
    if is_temporary(error) and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        # Rounded to the second, so a batch's retries share one task.
        when = (timezone.now() + retry_delay(message.attempts)).replace(microsecond=0)
        retries.setdefault(when, []).append((message.pk, text))
    else:
        Message.objects.filter(pk=message.pk, state=Message.State.SENDING).update(
            state=Message.State.FAILED, last_error=text
        )


@transaction.atomic
def resend(messages):
    """Back office: queue failed (or stuck) messages again, attempts counted from zero."""
    ids = list(
        messages.exclude(state=Message.State.SENT)
        .exclude(state=Message.State.QUEUED)
        .values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=ids).update(
        state=Message.State.QUEUED, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    hand_over_by_kind(ids)
    return len(ids)


def requeue_stuck(*, older_than=timedelta(minutes=15)):
    """Messages left in "sending" by a worker that died mid-delivery go back to the queue.
    (The one case of at-least-once: the server may have taken the message before the crash.)"""
    limit = timezone.now() - older_than
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(state=Message.State.SENDING, claimed_at__lt=limit)
            .values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=ids).update(state=Message.State.QUEUED)
        hand_over_by_kind(ids)
    return len(ids)


def mask(text, secrets, urls=()):
    """`text` with every secret replaced by MASK: in a link, the whole path segment that
    holds it (`/password/reset/key/••••••/`)."""
    for url in urls:
        for secret in secrets:
            if secret in url:
                segments = [MASK if secret in part else part for part in url.split("/")]
                text = text.replace(url, "/".join(segments))
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def send_prepared(email, *, template, language, user=None, secrets=(), urls=()):
    """Queue an email another library rendered (allauth's), one message per address.

    `secrets` (keys, codes) and the `urls` that hold them are masked in the outbox's copy;
    the real text waits in a SealedText for delivery, which deletes it."""
    html = next(
        (c for c, mimetype in getattr(email, "alternatives", []) if mimetype == "text/html"), ""
    )
    subject = _one_line(email.subject)[:300]
    secrets = [s for s in secrets if s]

    def masked(text):
        # A text that holds a secret in another form than as given (escaped, spaced out)
        # is not kept at all.
        if text and any(secret not in text for secret in secrets):
            return MASK
        return mask(text, secrets, urls)

    # One transaction: the sealed texts exist before delivery is handed the messages.
    with transaction.atomic():
        created = queue(
            [
                message(
                    kind=Kind.TRANSACTIONAL,
                    to=address,
                    user=user,
                    template=template,
                    language=language,
                    subject=mask(subject, secrets),
                    body=masked(email.body),
                    html=masked(html),
                    headers={},
                    sealed=bool(secrets),
                )
                for address in email.to
            ]
        )
        if secrets:
            expires_at = timezone.now() + SEALED_LIFETIME
            SealedText.objects.bulk_create(
                SealedText(
                    message=m, subject=subject, body=email.body, html=html, expires_at=expires_at
                )
                for m in created
            )
    return [m.pk for m in created]
