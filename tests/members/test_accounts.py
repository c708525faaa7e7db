"""Sign-up with email confirmation, sign-in by email, rate limits, password reset."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.helpers import make_user

PASSWORD = "correct horse battery"


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.django_db
def test_sign_up_confirm_email_then_signed_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands over on commit
        response = client.post(
            reverse("account_signup"),
            {"email": "kwame@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # Not signed in until the address is confirmed.
    assert "Sign out" not in client.get(reverse("home")).text

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kwame@example.org"]
    confirm_url = link_in(mail.outbox[0])
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert "Sign out" in client.get(reverse("home")).text
    user = get_user_model().objects.get(email="kwame@example.org")
    assert user.emailaddress_set.get().verified


@pytest.mark.django_db
def test_sign_up_with_bad_input_shows_errors_next_to_fields(client):
    response = client.post(
        reverse("account_signup"), {"email": "not-an-email", "password1": "a", "password2": "b"}
    )
    assert response.status_code == 400  # the site's answer to a form with errors
    assert "errorlist" in response.text
    assert 'value="not-an-email"' in response.text  # what was typed is kept
    assert not get_user_model().objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_unconfirmed_user_cannot_sign_in(client, django_capture_on_commit_callbacks):
    get_user_model().objects.create_user(email="new@example.org", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    assert "Sign out" not in client.get(reverse("home")).text
    assert len(mail.outbox) == 1  # a fresh confirmation link is sent


@pytest.mark.django_db
def test_sign_in_by_email_and_out(client):
    make_user("zara@example.org")
    response = client.post(
        reverse("account_login"), {"login": "zara@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Sign out" in client.get(reverse("home")).text
    client.post(reverse("account_logout"))
    assert "Sign out" not in client.get(reverse("home")).text


@pytest.mark.django_db
def test_failed_sign_ins_are_rate_limited(client):
    make_user("zara@example.org")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "zara@example.org", "password": "wrong"}
        )
        assert "Too many" not in response.text
    response = client.post(
        reverse("account_login"), {"login": "zara@example.org", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.text
    assert "Sign out" not in client.get(reverse("home")).text


@pytest.mark.django_db
def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    make_user("zara@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "zara@example.org"})
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    new_password = "a new and long passphrase"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert client.login(email="zara@example.org", password=new_password)


@pytest.mark.django_db
def test_account_pages_need_sign_in(client):
    for name in ["account_email", "account_change_password"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_change_password_and_email_pages_use_site_layout(member_client):
    for name in ["account_email", "account_change_password"]:
        text = member_client.get(reverse(name)).text
        assert '<main id="main"' in text
        assert "Skip to content" in text


def test_user_model_has_email_login_and_no_username():
    user_model = get_user_model()
    assert user_model.USERNAME_FIELD == "email"
    assert "username" not in [f.name for f in user_model._meta.get_fields()]


@pytest.mark.django_db
def test_admin_created_at_the_console_can_sign_in(client):
    call_command("createadmin", email="root@example.org", interactive=False, verbosity=0)
    user = get_user_model().objects.get(email="root@example.org")
    user.set_password(PASSWORD)
    user.save()
    client.post(reverse("account_login"), {"login": "root@example.org", "password": PASSWORD})
    assert "Sign out" in client.get(reverse("home")).text
