"""URL access walk for the guest, question, survey and certificate pages (issue 13).

Kept apart from tests/allin_portal/test_url_access.py (being rewritten): every new route,
its real methods, the right user gets in and the wrong one is refused.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.certificates import Certificate
from events.models import Event
from events.questions import Question
from tests.helpers import make_event, make_member_user

STAFF_GET = ["staff_settings", "questions", "invitations", "survey_results", "survey_csv"]


@pytest.fixture
def setup(db):
    event = make_event(
        registration_policy=Event.RegistrationPolicy.ANYONE,
        survey_open=True,
        certificates_enabled=True,
        starts_at=timezone.now() - timezone.timedelta(hours=1),
    )
    event.ends_at = timezone.now() + timezone.timedelta(hours=5)
    event.save()
    question = Question.objects.create(
        event=event, form="registration", kind="short_text", label="Diet"
    )
    registration = services.register(
        event=event, guest=services.Guest(name="G", email="g@example.net"), by=None
    )
    registration = services.confirm_guest(registration=registration, token=registration.token)
    registration.checked_in_at = timezone.now()
    registration.save()
    certificate = Certificate.objects.create(registration=registration, name="G")
    return event, question, registration, certificate


def test_staff_pages_staff_in_member_refused_visitor_to_sign_in(
    client, setup, staff_user, member_user
):
    event, question, registration, _ = setup
    urls = [reverse(f"events:{name}", args=[event.slug]) for name in STAFF_GET]
    urls.append(reverse("events:question_edit", args=[event.slug, question.pk]))
    posts = [
        reverse("events:question_delete", args=[event.slug, question.pk]),
        reverse("events:survey_publish", args=[event.slug]),
        reverse("events:certificate_revoke", args=[event.slug, registration.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in posts:
        response = client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    client.force_login(member_user)
    for url in urls:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url).status_code == 403, url
    client.force_login(staff_user)
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.put(url).status_code == 405, url
    for url in posts:
        assert client.get(url).status_code == 405, url
    assert client.post(posts[0]).status_code == 302
    assert not Question.objects.exists()
    other = make_event(slug="other")
    assert client.get(reverse("events:question_edit", args=[other.slug, 99999])).status_code == 404


def test_guest_link_pages_only_with_the_right_token(client, setup, member_user):
    event, _, registration, _ = setup
    token = registration.token
    manage = reverse("events:guest_manage", args=[event.slug, token])
    assert client.get(manage).status_code == 200
    assert client.get(reverse("events:guest_ics", args=[event.slug, token])).status_code == 200
    assert (
        client.get(reverse("events:guest_manage", args=[event.slug, "x" * 32])).status_code == 404
    )
    client.force_login(member_user)  # an account is no key to someone else's registration
    assert (
        client.get(reverse("events:guest_manage", args=[event.slug, "y" * 32])).status_code == 404
    )
    survey = reverse("events:survey", args=[event.slug])
    assert client.get(survey).status_code == 403
    assert client.get(f"{survey}?r={token}").status_code == 200
    assert client.delete(survey).status_code == 405


def test_certificate_verification_is_public_and_minimal(client, setup):
    event, _, registration, certificate = setup
    url = reverse("certificate_verify", args=[certificate.code])
    response = client.get(url)
    assert response.status_code == 200
    assert "g@example.net" not in response.text and registration.token not in response.text
    assert client.post(url).status_code == 405
    assert client.get(reverse("certificate_verify", args=["guess"])).status_code == 404


def test_member_certificate_is_only_their_own(client, setup):
    event, *_ = setup
    user = make_member_user(3)
    client.force_login(user)
    assert client.get(reverse("events:certificate", args=[event.slug])).status_code == 403
