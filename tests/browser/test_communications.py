"""A member chooses their emails, reads the archive and unsubscribes by link; event staff
write to their registrants. Screenshots and axe-core on each page."""

from urllib.parse import urlsplit

from django.urls import reverse
from playwright.sync_api import expect

from communications.models import Announcement
from events import services as event_services
from mail import outbox
from mail.models import Kind
from tests.browser.helpers import sign_in
from tests.helpers import make_event, make_member_user, make_user


def test_member_preferences_archive_and_unsubscribe(
    page, live_server, transactional_db, screenshot, axe_violations
):
    user = make_member_user(1)
    announcement = Announcement.objects.create(
        subject="The Summit 2030 programme is out",
        body="Three days in **Doha**:\n\n- working sessions\n- Living Lab panels",
        statuses=["approved"],
        state=Announcement.State.QUEUED,
    )
    Announcement.objects.filter(pk=announcement.pk).update(queued_at=announcement.created_at)
    announcement.readers.add(user)  # it was sent to the approved members
    sign_in(page, live_server, user.email)

    page.goto(live_server.url + reverse("mail:preferences"))
    expect(page.get_by_label(str(Kind.ANNOUNCEMENT.label))).to_be_checked()
    assert axe_violations() == []
    screenshot("preferences")
    page.get_by_label(str(Kind.DIGEST.label)).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your email preferences are saved.")).to_be_visible()
    assert outbox.wants(user.email, Kind.DIGEST)

    page.goto(live_server.url + reverse("communications:archive"))
    page.get_by_role("link", name="The Summit 2030 programme is out").click()
    expect(page.locator("strong", has_text="Doha")).to_be_visible()
    assert axe_violations() == []
    screenshot("announcement")

    path = urlsplit(outbox.unsubscribe_url(user.email, Kind.ANNOUNCEMENT)).path
    page.goto(live_server.url + path)
    assert axe_violations() == []
    screenshot("unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    assert not outbox.wants(user.email, Kind.ANNOUNCEMENT)


def test_event_staff_preview_and_send(
    page, live_server, transactional_db, screenshot, axe_violations
):
    event = make_event(capacity=10)
    for n in range(1, 4):
        event_services.register(event=event, user=make_member_user(n))
    staff = make_user("staff@example.org", "Event staff")
    sign_in(page, live_server, staff.email)
    page.goto(live_server.url + reverse("events:attendees", args=[event.slug]))
    page.get_by_role("link", name="Email registrants").click()
    page.get_by_label("Subject").fill("Room change")
    page.get_by_label("Message (Markdown)").fill("We meet in **room 2**.")
    page.get_by_role("button", name="Preview and count").click()
    expect(page.get_by_text("This message will go to 3 people.")).to_be_visible()
    assert axe_violations() == []
    screenshot("event-email")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message is on its way to 3 people.")).to_be_visible()
