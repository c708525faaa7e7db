"""Announcements: audiences, language per recipient, unsubscribe, archive, back office."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from communications import announcements
from communications.models import Announcement
from core import jobs
from events import services as event_services
from mail import outbox
from mail.models import Kind, Message, Subscription
from members import services as member_services
from members.models import Member, Organization
from tests.helpers import make_event, make_member, make_user


@pytest.fixture
def people(db):
    """Five people in different places, roles and organizations."""
    school = Organization.objects.create(name="A school", slug="a-school", type="school")
    ministry = Organization.objects.create(name="A ministry", slug="a-ministry", type="government")
    ghana = make_member("ama@example.org", "Ama", country="GH", organization=school)
    france = make_member("luc@example.org", "Luc", country="FR", organization=ministry)
    qatar = make_member("noor@example.org", "Noor", country="QA", organization=school)
    applicant = make_member("appl@example.org", "Appl", country="FR", status=Member.Status.APPLIED)
    staff = make_user("staff@example.org", "Event staff")
    ghana.expertise.add("rural schools")
    france.user.language = "fr"
    france.user.save()
    return {"gh": ghana, "fr": france, "qa": qatar, "applicant": applicant, "staff": staff}


def audience(**filters):
    groups = filters.pop("groups", [])
    expertise = filters.pop("expertise", [])
    announcement = Announcement.objects.create(subject="News", body="**Hello**", **filters)
    announcement.groups.set(Group.objects.filter(name__in=groups))
    announcement.expertise.set(Tag.objects.filter(name__in=expertise))
    return sorted(email for email, _pk, _lang in announcements.recipients(announcement))


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"statuses": ["approved"]}, ["ama@example.org", "luc@example.org", "noor@example.org"]),
        ({"statuses": ["applied"]}, ["appl@example.org"]),
        ({"groups": ["Event staff"]}, ["staff@example.org"]),
        ({"regions": ["sub_saharan_africa"]}, ["ama@example.org"]),
        ({"countries": ["FR", "QA"]}, ["appl@example.org", "luc@example.org", "noor@example.org"]),
        ({"oecd": "yes"}, ["appl@example.org", "luc@example.org"]),
        ({"oecd": "no"}, ["ama@example.org", "noor@example.org"]),
        ({"organization_types": ["government"]}, ["luc@example.org"]),
        ({"expertise": ["rural schools"]}, ["ama@example.org"]),
        # Two filters combined: both must hold.
        ({"statuses": ["approved"], "oecd": "yes"}, ["luc@example.org"]),
        ({"organization_types": ["school"], "oecd": "no"}, ["ama@example.org", "noor@example.org"]),
    ],
)
def test_each_audience_filter_and_combinations(people, filters, expected):
    assert audience(**filters) == expected


def test_event_audiences(people):
    event = make_event(capacity=1, registration_policy="anyone")
    event_services.register(event=event, user=people["gh"].user)
    event_services.register(event=event, user=people["qa"].user)  # waitlisted
    # Anyone can type any address into the guest form: unconfirmed, it is nobody's yet.
    event_services.register(
        event=event, guest=event_services.Guest(name="Typed", email="typed@example.net"), by=None
    )
    assert audience(event=event, event_audience="confirmed") == ["ama@example.org"]
    assert audience(event=event, event_audience="waitlisted") == ["noor@example.org"]
    assert audience(event=event, event_audience="all") == ["ama@example.org", "noor@example.org"]
    assert audience(event=event, event_audience="checked_in") == []


def test_unsubscribed_and_deleted_accounts_are_never_sent_to(
    people, django_capture_on_commit_callbacks
):
    Subscription.objects.create(email="ama@example.org", kind=Kind.ANNOUNCEMENT, subscribed=False)
    member_services.delete_account(user=people["qa"].user, requested_by=people["qa"].user)
    assert audience(statuses=["approved"]) == ["luc@example.org"]


def test_each_recipient_gets_their_language_and_unsubscribe_headers(
    people, django_capture_on_commit_callbacks
):
    announcement = Announcement.objects.create(
        subject="Summit news", body="See you **soon**.", statuses=["approved"]
    )
    announcement.translations.create(
        language="fr", subject="Nouvelles du sommet", body="À **bientôt**."
    )
    with django_capture_on_commit_callbacks(execute=True):
        announcements.schedule(announcement=announcement)
    announcement.refresh_from_db()
    assert announcement.state == Announcement.State.QUEUED
    assert announcement.recipients_count == 3
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["luc@example.org"] == "Nouvelles du sommet"
    assert subjects["ama@example.org"] == "Summit news"
    message = next(m for m in mail.outbox if m.to == ["luc@example.org"])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body
    assert "<strong>bientôt</strong>" in message.alternatives[0][0]
    assert announcements.figures(announcement)["sent"] == 3


def test_one_click_unsubscribe_by_list_unsubscribe_post(client, people):
    token = outbox.unsubscribe_token("luc@example.org", Kind.ANNOUNCEMENT)
    url = reverse("mail:unsubscribe", args=[token])
    # A GET (a link scanner) changes nothing.
    assert "Unsubscribe" in client.get(url).text
    assert outbox.wants("luc@example.org", Kind.ANNOUNCEMENT)
    # The mail client's POST, without any cookie or CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not outbox.wants("luc@example.org", Kind.ANNOUNCEMENT)
    assert outbox.wants("luc@example.org", Kind.EVENT_NEWS)  # only that kind


def test_tampered_unsubscribe_token_is_refused(client, db):
    token = outbox.unsubscribe_token("luc@example.org", Kind.ANNOUNCEMENT)
    forged = ("A" if token[0] != "A" else "B") + token[1:]
    for bad in (forged, token[:-2] + "xx", "nothing"):
        response = client.post(reverse("mail:unsubscribe", args=[bad]))
        assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_unsubscribed_since_queueing_is_not_sent(people, django_capture_on_commit_callbacks):
    announcement = Announcement.objects.create(subject="S", body="B", countries=["GH"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announcements.schedule(announcement=announcement)
    callbacks[0]()  # recipients resolved
    Subscription.objects.create(email="ama@example.org", kind=Kind.ANNOUNCEMENT, subscribed=False)
    message = Message.objects.get()
    assert outbox.claim([message.pk]) == []
    message.refresh_from_db()
    assert message.state == Message.State.CANCELLED


def test_preferences_page(client, people):
    url = reverse("mail:preferences")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(people["gh"].user)
    page = client.get(url).text
    assert re.search(r'name="announcement"[^>]* checked', page)
    assert not re.search(r'name="digest"[^>]* checked', page)
    response = client.post(url, {"digest": "on", "event_news": "on"})
    assert response.status_code == 302
    assert not outbox.wants("ama@example.org", Kind.ANNOUNCEMENT)
    assert outbox.wants("ama@example.org", Kind.DIGEST)
    assert client.put(url).status_code == 405


def test_archive_is_for_members_only(client, people, django_capture_on_commit_callbacks):
    announcement = Announcement.objects.create(
        subject="Summit news", body="<script>x</script>**Hi**", statuses=["approved"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        announcements.schedule(announcement=announcement)
    url = reverse("communications:archive")
    detail = reverse("communications:announcement", args=[announcement.pk])
    assert client.get(url).status_code == 302  # visitor: sign in
    client.force_login(make_user("outsider@example.org"))
    assert client.get(url).status_code == 403  # not a member
    client.force_login(people["gh"].user)
    assert "Summit news" in client.get(url).text
    page = client.get(detail).text
    assert "<strong>Hi</strong>" in page and "<script>x" not in page
    assert client.post(url).status_code == 405


def test_an_empty_archive_says_what_will_appear(client, people):
    client.force_login(people["gh"].user)
    assert "No announcements yet." in client.get(reverse("communications:archive")).text


def test_archive_shows_an_announcement_only_to_its_audience(
    client, people, django_capture_on_commit_callbacks
):
    narrow = Announcement.objects.create(subject="For Ghana", body="Hi", countries=["GH"])
    everyone = Announcement.objects.create(subject="For everyone", body="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        announcements.schedule(announcement=narrow)
        announcements.schedule(announcement=everyone)
    newcomer = make_member("new@example.org", "New", country="KE")  # joined afterwards
    url = reverse("communications:archive")
    narrow_url = reverse("communications:announcement", args=[narrow.pk])
    client.force_login(people["gh"].user)
    listing = client.get(url).text
    assert "For Ghana" in listing and "For everyone" in listing
    assert client.get(narrow_url).status_code == 200
    for user in (people["fr"].user, newcomer.user):
        client.force_login(user)
        listing = client.get(url).text
        assert "For everyone" in listing and "For Ghana" not in listing
        assert client.get(narrow_url).status_code == 404
        everyone_url = reverse("communications:announcement", args=[everyone.pk])
        assert client.get(everyone_url).status_code == 200


def test_a_reader_who_turned_announcement_emails_off_still_reads_their_groups_in_the_archive(
    client, people, django_capture_on_commit_callbacks
):
    Subscription.objects.create(email="ama@example.org", kind=Kind.ANNOUNCEMENT, subscribed=False)
    narrow = Announcement.objects.create(subject="For Ghana", body="Hi", countries=["GH"])
    with django_capture_on_commit_callbacks(execute=True):
        announcements.schedule(announcement=narrow)
    assert not Message.objects.filter(to="ama@example.org").exists()  # not emailed
    client.force_login(people["gh"].user)
    assert "For Ghana" in client.get(reverse("communications:archive")).text
    client.force_login(people["qa"].user)
    assert "For Ghana" not in client.get(reverse("communications:archive")).text


def test_subject_with_line_break_is_refused(network_admin_client, db):
    response = network_admin_client.post(
        reverse("admin:communications_announcement_add"),
        {
            "kind": "announcement",
            "subject": "Hello\r\nBcc: victim@example.net",
            "body": "x",
            "language": "en",
            "event_audience": "all",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "one line" in response.text
    assert not Announcement.objects.exists()


def test_back_office_count_test_send_and_send(
    network_admin_client, network_admin, people, django_capture_on_commit_callbacks
):
    announcement = Announcement.objects.create(subject="Hello", body="x", oecd="no")
    url = reverse("admin:communications_announcement_change", args=[announcement.pk])
    page = network_admin_client.get(url).text
    assert "This audience is 2 people now" in page
    data = {
        "kind": "announcement",
        "subject": "Hello",
        "body": "x",
        "language": "en",
        "oecd": "no",
        "event_audience": "all",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        network_admin_client.post(url, {**data, "_send_test": "1"})
    assert [m.to for m in mail.outbox] == [[network_admin.email]]
    assert mail.outbox[0].subject == "[TEST] Hello"
    with django_capture_on_commit_callbacks(execute=True):
        response = network_admin_client.post(url, {**data, "_send": "1"}, follow=True)
    # Saved, not sent: the confirmation page says how many and in which languages.
    assert len(mail.outbox) == 1
    assert "This announcement goes to 2 people." in response.text
    with django_capture_on_commit_callbacks(execute=True):
        network_admin_client.post(SEND(announcement), {"confirm": "1", "expected": "2"})
    announcement.refresh_from_db()
    assert announcement.state == Announcement.State.QUEUED
    assert sorted(m.to[0] for m in mail.outbox[1:]) == ["ama@example.org", "noor@example.org"]
    assert "2 sent" in network_admin_client.get(url).text


def SEND(announcement):
    return reverse("admin:communications_announcement_send", args=[announcement.pk])


def test_sending_to_an_audience_is_confirmed_first(
    network_admin_client, people, django_capture_on_commit_callbacks
):
    announcement = Announcement.objects.create(subject="Hello", body="x", statuses=["approved"])
    change = reverse("admin:communications_announcement_change", args=[announcement.pk])
    data = {
        "kind": "announcement",
        "subject": "Hello",
        "body": "x",
        "language": "en",
        "statuses": ["approved"],
        "event_audience": "all",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = network_admin_client.post(change, {**data, "_send": "1"})
    assert response.status_code == 302 and response.url == SEND(announcement)
    # A GET, however often, sends nothing; it shows the count and the languages.
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            page = network_admin_client.get(SEND(announcement))
        assert page.status_code == 200
    assert mail.outbox == [] and not Message.objects.exists()
    announcement.refresh_from_db()
    assert announcement.state == Announcement.State.DRAFT
    # Counted another way: approved members' active accounts, by their language.
    approved = Member.objects.filter(status="approved", user__is_active=True)
    assert approved.count() == 3
    assert page.context["total"] == 3
    assert dict(page.context["languages"]) == {"English": 2, "French": 1}
    assert "This announcement goes to 3 people." in page.text
    # A confirmation made on figures that changed since sends nothing and shows the new ones.
    with django_capture_on_commit_callbacks(execute=True):
        stale = network_admin_client.post(SEND(announcement), {"confirm": "1", "expected": "4"})
    assert stale.status_code == 409 and mail.outbox == []
    assert "This announcement goes to 3 people." in stale.text
    # A POST without the confirm button sends nothing either.
    with django_capture_on_commit_callbacks(execute=True):
        network_admin_client.post(SEND(announcement), {"expected": "3"})
    assert mail.outbox == []
    # The explicit confirmation sends, once (a second click finds it sent).
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = network_admin_client.post(
                SEND(announcement), {"confirm": "1", "expected": "3"}
            )
        assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ama@example.org",
        "luc@example.org",
        "noor@example.org",
    ]
    announcement.refresh_from_db()
    assert announcement.recipients_count == 3


def test_sending_needs_the_permission_to_change_announcements(
    client, people, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    announcement = Announcement.objects.create(subject="Hello", body="x", statuses=["approved"])
    viewer = make_user("viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_announcement"))
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(SEND(announcement)).status_code == 403
        response = client.post(SEND(announcement), {"confirm": "1", "expected": "3"})
    assert response.status_code == 403
    client.force_login(people["gh"].user)  # a member, not back-office staff
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND(announcement), {"confirm": "1", "expected": "3"})
    assert response.status_code == 302 and "/login/" in response.url
    assert mail.outbox == [] and not Message.objects.exists()
    announcement.refresh_from_db()
    assert announcement.state == Announcement.State.DRAFT


def test_member_cannot_reach_the_back_office_announcements(member_client):
    response = member_client.get(reverse("admin:communications_announcement_changelist"))
    assert response.status_code == 302


def test_send_at_a_set_time(people, django_capture_on_commit_callbacks):
    announcement = Announcement.objects.create(subject="Later", body="x", countries=["GH"])
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        announcements.schedule(announcement=announcement, send_at=later)
    announcement.refresh_from_db()
    assert announcement.state == Announcement.State.SCHEDULED
    assert not Message.objects.exists()
    # The clock reaches the time: the scheduler's round queues it, once.
    Announcement.objects.filter(pk=announcement.pk).update(send_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run_once()
        jobs.run_once()
    assert [m.to for m in mail.outbox] == [["ama@example.org"]]


def test_markup_in_the_body_is_neutralised_in_the_email(people, django_capture_on_commit_callbacks):
    announcement = Announcement.objects.create(
        subject="<b>Hi</b>",
        body="<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1)) **ok**",
        countries=["GH"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        announcements.schedule(announcement=announcement)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<strong>ok</strong>" in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html  # the subject in <title>, escaped


def test_queued_emails_of_a_deleted_account_are_never_sent(people):
    user = people["gh"].user
    outbox.send("membership_applied", to=user, context={})
    assert Message.objects.filter(to=user.email).exists()
    member_services.delete_account(user=user, requested_by=user)
    assert not Message.objects.filter(to="ama@example.org").exists()
