"""Account pages speak the site's words: one wording, the site's titles, no colon labels,
and the join form's choices and hints in words a member understands."""

import re

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "title", "button"),
    [
        ("account_login", "Sign in · ALL-IN", "Sign in"),
        ("account_signup", "Sign up · ALL-IN", "Sign up"),
        ("account_reset_password", "Reset your password · ALL-IN", "Send me the link"),
    ],
)
def test_account_pages_in_the_sites_voice(client, db, name, title, button):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.text
    assert f"<title>{title}</title>" in html
    assert f'<button type="submit">{button}</button>' in html
    for stock in ("Sign In", "Sign Up", "Signup", "Remember Me", "Reset My Password"):
        assert stock not in html
    # No label ends with a colon.
    assert not re.search(r":\s*</label>", html)


def test_sign_in_offers_keep_me_signed_in(client, db):
    html = client.get(reverse("account_login")).text
    assert "Keep me signed in on this device" in html


def test_sign_in_still_works(client, member_user):
    response = client.post(
        reverse("account_login"),
        {"login": "amina@example.org", "password": "correct horse battery", "remember": "on"},
    )
    assert response.status_code == 302
    assert client.get(reverse("account_email")).status_code == 200


def test_sign_out_page_in_the_sites_voice(member_client):
    html = member_client.get(reverse("account_logout")).text
    assert "<title>Sign out · ALL-IN</title>" in html
    assert "Sign Out" not in html
    assert member_client.post(reverse("account_logout")).status_code == 302
    assert member_client.get(reverse("account_email")).status_code == 302


def test_join_form_speaks_plainly(client, db):
    from tests.helpers import make_user

    client.force_login(make_user("new@example.org"))
    response = client.get(reverse("members:join"))
    assert response.status_code == 200
    html = response.text
    assert "---------" not in html
    assert '<option value="" selected>Choose a country</option>' in html
    assert "Choose your organization (or leave empty)" in html
    assert "Plain text; *asterisks* for emphasis, [text](link) for links." in html
    assert "Markdown." not in html


def test_profile_form_speaks_plainly(member_client):
    html = member_client.get(reverse("members:edit_profile")).text
    assert "---------" not in html
    assert "Plain text; *asterisks* for emphasis" in html


def test_password_pages_in_the_sites_voice(client, member_user):
    client.force_login(member_user)
    html = client.get(reverse("account_change_password")).text
    assert "<title>Change your password · ALL-IN</title>" in html
    assert "Save the new password</button>" in html
    assert "Change Password" not in html
    client.logout()
    html = client.get(reverse("account_reset_password_done")).text
    assert "<title>Check your email · ALL-IN</title>" in html
    bad_link = reverse("account_reset_password_from_key", args=["x", "bad-key"])
    html = client.get(bad_link, follow=True).text
    assert "This link no longer works" in html and "Bad Token" not in html


def test_changing_the_email_address_in_the_sites_voice(client, member_user):
    client.force_login(member_user)
    html = client.get(reverse("account_email")).text
    assert "<title>Your email address · ALL-IN</title>" in html
    assert "Change Email" not in html and "Change to:" not in html
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "amina.new@example.org"}
    )
    assert response.status_code == 302
    html = client.get(reverse("account_email")).text
    assert "amina.new@example.org" in html and "Send the link again" in html


def test_account_pages_reached_from_emails_and_settings_speak_the_same_way(
    client, member_user, django_capture_on_commit_callbacks
):
    login = client.get(reverse("account_login")).text
    assert login.count("Forgot your password?") == 1
    client.force_login(member_user)
    change = client.get(reverse("account_change_password")).text
    assert "Current password" in change and "New password (again)" in change
    assert "Current Password" not in change
    preferences = client.get(reverse("mail:preferences")).text
    assert not re.search(r":\s*</label>", preferences)
    bad_link = client.get(reverse("account_confirm_email", args=["not-a-key"])).text
    assert "Confirm your email address" in bad_link and "Ask for a new one" in bad_link
    assert "Confirm Email Address" not in bad_link
