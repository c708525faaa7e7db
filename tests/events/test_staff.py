"""Event staff pages: who may reach them, registering members and guests, check-in,
no-shows, CSV export and import (all or nothing), the sign-in sheet."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration
from tests.helpers import make_event, make_user

STAFF_PAGES = ["attendees", "check_in_page", "import", "export", "sign_in_sheet"]
STAFF_ACTIONS = ["staff_register", "staff_guest"]
ROW_ACTIONS = ["check_in", "no_show", "staff_cancel"]


def url(name, event, **kwargs):
    return reverse(f"events:{name}", kwargs={"slug": event.slug, **kwargs})


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_work_for_staff_and_network_admins(client, event, staff_user, name):
    client.force_login(staff_user)
    assert client.get(url(name, event)).status_code == 200
    client.force_login(make_user("na@example.org", "Network admins", is_staff=True))
    assert client.get(url(name, event)).status_code == 200


@pytest.mark.parametrize("name", STAFF_PAGES + STAFF_ACTIONS)
def test_member_gets_403_and_visitor_is_sent_to_sign_in(client, event, member_user, name):
    response = (
        client.post(url(name, event)) if name in STAFF_ACTIONS else client.get(url(name, event))
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member_user)
    response = (
        client.post(url(name, event)) if name in STAFF_ACTIONS else client.get(url(name, event))
    )
    assert response.status_code == 403


@pytest.mark.parametrize("name", ROW_ACTIONS)
def test_member_cannot_act_on_registrations(client, event, members, name):
    registration = services.register(event=event, user=members[0])
    client.force_login(members[1])
    assert client.post(url(name, event, pk=registration.pk)).status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.checked_in_at is None and not registration.no_show


@pytest.mark.parametrize("name", ROW_ACTIONS + STAFF_ACTIONS)
def test_actions_refuse_get(staff_client, event, name):
    kwargs = {"pk": 1} if name in ROW_ACTIONS else {}
    assert staff_client.get(url(name, event, **kwargs)).status_code == 405


def test_unknown_event_or_registration_is_404(staff_client, event):
    assert staff_client.get(reverse("events:attendees", kwargs={"slug": "x"})).status_code == 404
    assert staff_client.post(url("check_in", event, pk=999999)).status_code == 404
    other = make_event("other-event")
    registration = services.register(
        event=other,
        guest=services.Guest("A", "a@example.org"),
        by=make_user("s2@example.org", "Event staff"),
    )
    # A registration of another event is not reachable through this event's URL.
    assert staff_client.post(url("check_in", event, pk=registration.pk)).status_code == 404


def test_staff_search_member_and_register_them(staff_client, event, members):
    response = staff_client.get(url("attendees", event), {"member_q": "Member 0002"})
    assert response.context["found_members"][0].name == "Member 0002"
    member = members[1].member
    response = staff_client.post(url("staff_register", event), {"member": member.pk})
    assert response.status_code == 302
    assert Registration.objects.get().user == members[1]
    # Already registered members are not offered again.
    response = staff_client.get(url("attendees", event), {"member_q": "Member 0002"})
    assert "Member 0002" not in [m.name for m in response.context["found_members"]]


def test_past_event_offers_no_registering_says_why_once_and_still_checks_in(
    staff_client, staff_user, members
):
    event = make_event("past-2020", starts_at=timezone.now() - datetime.timedelta(days=30))
    registration = Registration.objects.create(
        event=event, user=members[0], name="Member 0001", status=Registration.Status.CONFIRMED
    )
    text = staff_client.get(url("attendees", event), {"member_q": "Member 0002"}).text
    assert text.count("Nobody can be registered. This event is over.") == 1
    assert "Register Member 0002" not in text and "Register a member" not in text
    assert "Register guest" not in text
    text = staff_client.get(url("import", event)).text
    assert "Nobody can be registered. This event is over." in text
    assert 'type="file"' not in text and "Preview (dry run)" not in text
    staff_client.post(url("check_in", event, pk=registration.pk), {"reason": "Signed the sheet"})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_staff_member_search_forgives_typos_and_accents_like_the_directory(staff_client, event):
    from tests.helpers import make_member as make_profile

    make_profile("ngozi@example.org", "Ngozi Adébayo", position="Audit lead", country="NG")
    make_profile("other@example.org", "Carlos Ruiz", position="Principal", country="MX")
    for query in ["audit leed", "ngozi adebayo", "Adebayoo", "NGOZI", "nigeria audit"]:
        response = staff_client.get(url("attendees", event), {"member_q": query})
        assert [m.name for m in response.context["found_members"]] == ["Ngozi Adébayo"], query
    # Part of an address finds its account too; nonsense finds nobody.
    response = staff_client.get(url("attendees", event), {"member_q": "NGOZI@example"})
    assert [m.name for m in response.context["found_members"]] == ["Ngozi Adébayo"]
    response = staff_client.get(url("attendees", event), {"member_q": "zzqqxx"})
    assert response.context["found_members"] == []


def test_staff_guest_with_the_address_of_an_account_registers_that_account(
    staff_client, event, members
):
    """Whatever the case of the address typed, the existing account is found."""
    response = staff_client.post(
        url("staff_guest", event),
        {"name": "Someone", "email": "  MEMBER2@Example.ORG ", "organization": "", "country": ""},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.user == members[1]


def test_staff_register_guest_and_bad_input(staff_client, event):
    response = staff_client.post(
        url("staff_guest", event),
        {"name": "Kofi Guest", "email": "kofi@example.org", "organization": "GES", "country": "GH"},
    )
    assert response.status_code == 302
    guest = Registration.objects.get()
    assert guest.user is None and guest.name == "Kofi Guest" and guest.country == "GH"
    response = staff_client.post(url("staff_guest", event), {"name": "", "email": "nope"})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Enter a valid email address." in response.text
    response = staff_client.post(
        url("staff_guest", event), {"name": "Kofi again", "email": "KOFI@example.org"}
    )
    assert response.status_code == 400 and "already registered" in response.text
    assert Registration.objects.count() == 1


def test_check_in_page_search_and_check_in(staff_client, event, members):
    a = services.register(event=event, user=members[0])
    b = services.register(event=event, user=members[1])
    response = staff_client.get(url("check_in_page", event), {"q": "0002"})
    assert [r.pk for r in response.context["registrations"]] == [b.pk]
    response = staff_client.post(
        url("check_in", event, pk=b.pk), {"next": "check_in", "q": "0002", "reason": "Rehearsal"}
    )
    assert response["Location"] == url("check_in_page", event) + "?q=0002"
    b.refresh_from_db()
    assert b.checked_in_at is not None
    staff_client.post(url("no_show", event, pk=a.pk))
    a.refresh_from_db()
    assert a.no_show


def test_staff_cancel_promotes_waitlisted(
    staff_client, event, members, mailoutbox, django_capture_on_commit_callbacks
):
    a = services.register(event=event, user=members[0])
    services.register(event=event, user=members[1])
    c = services.register(event=event, user=members[2])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("staff_cancel", event, pk=a.pk))
    c.refresh_from_db()
    assert c.status == Registration.Status.CONFIRMED
    assert mailoutbox[-1].to == ["member3@example.org"]


def test_attendee_page_query_count_is_constant(
    staff_client, staff_user, django_assert_max_num_queries
):
    event = make_event(capacity=600, guests_allowed=True)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Guest {n}",
            email=f"guest{n}@example.org",
            status="confirmed" if n < 600 else "waitlisted",
            waitlisted_at=None if n < 600 else timezone.now(),
        )
        for n in range(1000)
    )
    for name in ("attendees", "check_in_page", "sign_in_sheet"):
        with django_assert_max_num_queries(10):
            response = staff_client.get(url(name, event), {"member_q": "Member"})
        assert response.status_code == 200
    assert len(response.context["registrations"]) == 600
    with django_assert_max_num_queries(10):
        response = staff_client.get(url("attendees", event), {"member_q": "Member"})
    assert len(response.context["confirmed"]) == 600 and len(response.context["waitlisted"]) == 400


def test_export_csv(staff_client, event, members):
    services.register(event=event, user=members[0])
    services.register(
        event=event,
        guest=services.Guest("=cmd|' /C calc'!A0", "g@example.org"),
        by=make_user("s3@example.org", "Event staff"),
    )
    response = staff_client.get(url("export", event))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["Name", "Email", "Organization", "Country", "Status"]
    names = {row[0] for row in rows[1:]}
    assert "Member 0001" in names
    assert "'=cmd|' /C calc'!A0" in names  # no formula injection


def test_sign_in_sheet_lists_confirmed_only(staff_client, event, members):
    for user in members:
        services.register(event=event, user=user)
    text = staff_client.get(url("sign_in_sheet", event)).text
    assert "Member 0001" in text and "Member 0002" in text and "Member 0003" not in text


def csv_file(text):
    return SimpleUploadedFile("attendees.csv", text.encode(), content_type="text/csv")


GOOD = (
    "name,email,organization,country,listed\n"
    "Member One,member1@example.org,,GH,yes\n"
    "Ama Guest,ama@example.org,GES,Ghana,no\n"
    "Léa Invitée,lea@example.org,,FR,\n"
)


def test_import_preview_saves_nothing_then_import_saves_all(staff_client, event, members):
    event.capacity = 10
    event.save()
    response = staff_client.post(url("import", event), {"file": csv_file(GOOD), "preview": "1"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3 and not response.context["has_errors"]
    assert not Registration.objects.exists()
    response = staff_client.post(url("import", event), {"file": csv_file(GOOD), "confirm": "1"})
    assert response.status_code == 302
    assert Registration.objects.count() == 3
    one = Registration.objects.get(user=members[0])
    assert one.listed
    ama = Registration.objects.get(email="ama@example.org")
    assert ama.user is None and ama.country == "GH"


def test_import_with_an_error_saves_nothing_and_names_row_and_column(staff_client, event, members):
    bad = GOOD + "No Email,,,,\nBad Country,x@example.org,,Atlantis,maybe\nDup,AMA@example.org,,,\n"
    response = staff_client.post(url("import", event), {"file": csv_file(bad), "confirm": "1"})
    assert response.status_code == 400
    assert not Registration.objects.exists()
    errors = {row["line"]: row["errors"] for row in response.context["rows"] if row["errors"]}
    assert set(errors) == {5, 6, 7}
    assert set(errors[5]) == {"email"}
    assert set(errors[6]) == {"country", "listed"}
    assert "twice" in errors[7]["email"]
    assert "nothing was imported" in response.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x80\x81bad", "not UTF-8"),
        (b"who,where\nA,B\n", "Unknown column(s)"),
        (b"name,organization\nA,B\n", "lacks the column"),
        (b"name,email\n", "no rows"),
    ],
)
def test_import_rejects_unreadable_files(staff_client, event, content, message):
    upload = SimpleUploadedFile("a.csv", content, content_type="text/csv")
    response = staff_client.post(url("import", event), {"file": upload, "confirm": "1"})
    assert response.status_code == 400 and message in response.text
    assert not Registration.objects.exists()


def test_import_all_or_nothing_when_a_row_fails_at_save(
    staff_user, members, mailoutbox, django_capture_on_commit_callbacks
):
    """A refusal while saving (here: guests not allowed) undoes the rows already saved,
    and the emails of the rows before it are never sent."""
    from events.imports import import_rows, read_rows

    event = make_event("no-guests", guests_allowed=True, capacity=10)
    rows = read_rows(event, csv_file(GOOD))
    event.guests_allowed = False
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(services.RegistrationError, match="Row 3"):
            import_rows(event, rows, by=staff_user)
    assert not Registration.objects.exists()
    assert mailoutbox == []


def test_import_of_guests_refused_when_event_takes_none(staff_client, members):
    event = make_event("members-only", guests_allowed=False)
    response = staff_client.post(url("import", event), {"file": csv_file(GOOD), "confirm": "1"})
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_back_office_cannot_move_or_add_registrations(client, event, members):
    client.force_login(make_user("boss@example.org", "Network admins", is_staff=True))
    assert client.get(reverse("admin:events_registration_add")).status_code == 403
    registration = services.register(event=event, user=members[0])
    other = make_event(slug="other-2030", capacity=0)
    change = reverse("admin:events_registration_change", args=[registration.pk])
    client.post(change, {"event": other.pk, "name": "x", "email": "x@example.org"})
    registration.refresh_from_db()
    assert registration.event == event
