"""Sign-in secrets (password reset keys, address confirmation keys) are never stored readable.

The outbox keeps allauth's emails with their secret masked; the real text waits apart
(`SealedText`) for delivery, which sends it through the real queue and SMTP server and then
deletes it. A secret never sent in time expires with its text.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core import jobs
from mail import outbox
from mail.models import Message, SealedText
from tests.communications.helpers import run_worker
from tests.helpers import make_member

RESET_LINK = re.compile(r"https?://[^\s]+/accounts/password/reset/key/([^/\s]+)/")


@pytest.fixture(autouse=True)
def no_rate_limits_left(transactional_db):
    """allauth counts its emails per address in the (database) cache, which committed
    transactions leave behind for the next test."""
    cache.clear()
    yield
    cache.clear()


def delivered_text(smtp):
    (email,) = smtp.inbox.messages
    return email.get_body(preferencelist=("plain",)).get_content()


def test_a_reset_key_is_delivered_but_never_stored(transactional_db, smtp, queue, client):
    make_member("ama@example.org", "Ama")
    client.post(reverse("account_reset_password"), {"email": "AMA@example.org"})
    message = Message.objects.get()
    assert message.sealed
    assert f"/accounts/password/reset/key/{outbox.MASK}/" in message.body
    sealed = SealedText.objects.get(message=message)
    (key,) = RESET_LINK.findall(sealed.body)
    assert key not in message.body and key not in message.html

    smtp.start()
    run_worker()
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    text = delivered_text(smtp)
    assert RESET_LINK.findall(text) == [key]
    assert outbox.MASK not in text
    assert not SealedText.objects.exists()  # gone once sent
    # The delivered link is the real one: it opens the form to choose a new password.
    url = RESET_LINK.search(text).group(0)
    response = client.get(url[url.index("/accounts/") :])
    assert response.status_code == 302
    assert response["Location"].endswith("-set-password/")
    assert key not in str(list(Message.objects.values()))


def test_an_address_confirmation_key_is_masked_too(transactional_db, smtp, queue, client):
    client.post(
        reverse("account_signup"),
        {
            "email": "kojo@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    message = Message.objects.get()
    assert message.sealed and f"/accounts/confirm-email/{outbox.MASK}/" in message.body
    smtp.start()
    run_worker()
    text = delivered_text(smtp)
    (link,) = re.findall(r"/accounts/confirm-email/([^/\s]+)/", text)
    assert link != outbox.MASK and link not in Message.objects.get().body
    assert not SealedText.objects.exists()


def test_an_email_without_a_secret_is_stored_as_sent(transactional_db, smtp, queue, client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    message = Message.objects.get()  # "no account with this address"
    assert not message.sealed and outbox.MASK not in message.body
    assert not SealedText.objects.exists()
    smtp.start()
    run_worker()
    assert delivered_text(smtp).replace("\r\n", "\n").strip() == Message.objects.get().body.strip()


def test_a_secret_never_sent_expires_with_its_text(transactional_db, smtp, queue, client):
    make_member("ama@example.org", "Ama")
    client.post(reverse("account_reset_password"), {"email": "ama@example.org"})
    later = timezone.now() + outbox.SEALED_LIFETIME + datetime.timedelta(minutes=1)
    assert jobs.run_once(now=later)["expired_secrets"] == 1
    assert not SealedText.objects.exists()
    smtp.start()
    run_worker()
    message = Message.objects.get()
    # Its masked text is of no use: it fails, visibly, and nothing is sent.
    assert message.state == Message.State.FAILED
    assert "expired" in message.last_error
    assert smtp.inbox.messages == []
