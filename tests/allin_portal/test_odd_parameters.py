"""No query string or path can cause a server error (found by the attacker review).

NUL bytes reach searches, filters and tokens that are not forms, and PostgreSQL refuses
them in text: every such request is answered 400 before a view runs. Digits that are not
ASCII ("²" is a digit to str.isdigit, and int() refuses it) are "no number".
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from resources.models import Resource
from tests.helpers import make_event, make_resource

SUPERSCRIPT_TWO = "%C2%B2"


@pytest.fixture
def event(db):
    return make_event(
        registration_policy=Event.RegistrationPolicy.ANYONE,
        starts_at=timezone.now() - timezone.timedelta(days=2),
    )


def nul_urls(event):
    staff = f"/events/{event.slug}/staff/"
    return [
        "/resources/?q=%00",
        "/resources/?country=%00",
        "/resources/?topic=%00",
        "/resources/?pathway=%00",
        "/resources/?year=%00",
        "/resources/export.bib?q=%00",
        "/members/?q=%00",
        "/events/?country=%00",
        "/evidence/?topic=%00",
        "/certificates/%00/",
        f"/events/{event.slug}/register/?invitation=%00",
        f"{staff}?q=%00",
        f"{staff}?member_q=%00",
        f"{staff}check-in/?q=%00",
        "/admin/members/member/?q=%00",
        "/resources/?%00=1",
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=%00",
    ]


def odd_digit_urls(event):
    return [
        f"/resources/?year={SUPERSCRIPT_TWO * 4}",
        f"/resources/?page={SUPERSCRIPT_TWO}",
        f"/events/{event.slug}/staff/?question={SUPERSCRIPT_TWO}&answer=x",
        f"/events/{event.slug}/register/?invitation={SUPERSCRIPT_TWO}",
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:testserver:resource/"
        + SUPERSCRIPT_TWO,
    ]


@pytest.mark.parametrize("role", ["visitor", "staff", "admin"])
def test_a_nul_byte_is_a_bad_request_for_everyone(client, event, role, staff_user, network_admin):
    if role == "staff":
        client.force_login(staff_user)
    elif role == "admin":
        client.force_login(network_admin)
    for url in nul_urls(event):
        assert client.get(url).status_code == 400, url
    # The same pages answer as usual without it.
    assert client.get("/resources/?q=leadership").status_code == 200
    assert client.get("/certificates/nothing/").status_code == 404


def test_a_nul_byte_in_a_posted_value_read_without_a_form_is_dropped(client, event, staff_user):
    from events import services

    event = make_event(slug="next-session")  # upcoming
    registration = services.register(
        event=event, guest=services.Guest(name="G", email="g@example.net"), by=staff_user
    )
    client.force_login(staff_user)
    url = reverse("events:check_in", args=[event.slug, registration.pk])
    response = client.post(url, {"reason": "Came a day early\x00"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.check_in_reason == "Came a day early"
    # Staff register a member by id: letters or other digits find nobody (no 500).
    for member in ("abc", "\u0663"):
        register = reverse("events:staff_register", args=[event.slug])
        assert client.post(register, {"member": member}).status_code == 404


def test_other_bad_requests_get_the_sites_page_in_plain_words(client, db):
    fields = {f"f{n}": "x" for n in range(1100)}  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.post(reverse("account_login"), fields)
    assert response.status_code == 400
    assert "could not read what your browser sent" in response.text
    assert "no page of the site uses" not in response.text


def test_digits_that_are_not_ascii_are_no_number(client, event, staff_user):
    make_resource("A record", access=Resource.Access.PUBLIC)
    client.force_login(staff_user)
    for url in odd_digit_urls(event):
        response = client.get(url)
        assert response.status_code < 500, url
    assert client.get(odd_digit_urls(event)[0]).status_code == 200
    oai = client.get(odd_digit_urls(event)[-1])
    assert oai.status_code == 200 and b"idDoesNotExist" in oai.content


def test_a_non_ascii_pending_upload_id_is_ignored(client, db):
    from tests.helpers import make_user

    client.force_login(make_user("r@example.org", "Researchers"))
    response = client.post(
        reverse("resources:case_study_create"), {"title": "T", "pending_upload": "²"}
    )
    assert response.status_code in (200, 400)
