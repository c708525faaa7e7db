"""A working group's journey: a member asks to join, the coordinator approves, the member
starts a discussion in Arabic, another member replies, the first reads it on the page (marked
new) and in the digest. axe-core on each page, and no sideways scroll at 360 px."""

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from groups import jobs
from groups.models import GroupMembership, WorkingGroup
from mail.models import Message
from tests.browser.helpers import sign_in, tr
from tests.helpers import make_member

TITLE = "خطة العمل الميداني"
BODY = "نبدأ بزيارة **خمسة** برامج."
REPLY = "Count me in for the Accra visit."


def test_join_on_request_approve_discuss_in_arabic(
    page, live_server, transactional_db, axe_violations, screenshot
):
    group = WorkingGroup.objects.create(
        slug="case-study-group",
        name="Case Study Group",
        purpose="Five researchers paired with five program providers.",
        join_policy=WorkingGroup.JoinPolicy.REQUEST,
    )
    coordinator = make_member("coord@example.org", "Carla Coordinator").user
    GroupMembership.objects.create(
        group=group, member=coordinator, role="coordinator", state="active", notify="none"
    )
    other = make_member("other@example.org", "Olu Other").user
    GroupMembership.objects.create(group=group, member=other, state="active", notify="none")
    amina = make_member("amina@example.org", "أمينة منصور").user
    amina.language = "ar"
    amina.save()
    group_url = live_server.url + reverse("groups:detail", args=[group.slug])

    # The member asks to join, in Arabic.
    sign_in(page, live_server, amina.email, code="ar")
    page.goto(group_url)
    page.get_by_role("button", name=tr("ar", "Ask to join")).click()
    expect(
        page.get_by_text(tr("ar", "Your request to join is waiting for a coordinator."))
    ).to_be_visible()

    # The coordinator approves.
    sign_in(page, live_server, coordinator.email)
    page.goto(group_url)
    assert axe_violations() == []
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Request approved.")).to_be_visible()

    # The member starts a thread in Arabic.
    sign_in(page, live_server, amina.email, code="ar")
    page.goto(group_url)
    page.get_by_label(tr("ar", "Title")).fill(TITLE)
    page.get_by_label(tr("ar", "Message")).fill(BODY)
    page.get_by_role("button", name=tr("ar", "Post"), exact=True).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("strong", has_text="خمسة")).to_be_visible()
    thread_path = page.url.removeprefix(live_server.url)
    assert axe_violations() == []

    # Another member replies.
    sign_in(page, live_server, other.email)
    page.goto(group_url)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Reply", exact=True).fill(REPLY)
    page.get_by_role("button", name="Post the reply").click()
    expect(page.get_by_text(REPLY)).to_be_visible()

    # The first sees it: marked new on the group page, then on the thread page.
    sign_in(page, live_server, amina.email, code="ar")
    page.goto(group_url)
    item = page.locator(".thread-list li", has_text=TITLE)
    expect(item.get_by_text(tr("ar", "New"), exact=True)).to_be_visible()
    assert axe_violations() == []
    screenshot("group")
    item.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text(REPLY)).to_be_visible()
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    assert axe_violations() == []
    screenshot("thread")
    assert page.url.removeprefix(live_server.url).startswith(thread_path)

    # And in her weekly digest, in Arabic, with a link to the thread.
    jobs.group_digests(timezone.now() + datetime.timedelta(days=7, minutes=1))
    digest = Message.objects.get(template="group_digest", to=amina.email)
    assert digest.language == "ar"
    assert TITLE in digest.body and thread_path in digest.body
    assert tr("ar", "The group:") in digest.body
