"""Journey: a visitor signs up, confirms the email from the outbox and applies
to join; an admin approves the application in the back office; the new member searches the
resource library, opens a members-only report and downloads it."""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Member
from resources.models import Resource
from tests.browser.helpers import sign_in
from tests.helpers import make_resource, make_user, pdf_upload

PASSWORD = "a long and memorable passphrase"


def sign_out(page, live_server):
    page.goto(live_server.url)
    page.get_by_role("button", name="Sign out").click()


def test_visitor_joins_is_approved_and_downloads_a_members_only_report(
    page, live_server, transactional_db, settings, tmp_path, screenshot
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    report = make_resource(
        "Principal coaching evaluation in Ghana",
        abstract="What coaching changed for principals in Ghana's districts.",
        access=Resource.Access.MEMBERS,
        upload=pdf_upload("coaching evaluation findings"),
        topics=["coaching"],
    )
    make_user("admin@example.org", "Network admins", is_staff=True)

    # Sign up and confirm the address.
    page.goto(live_server.url + reverse("account_signup"))
    page.get_by_label("Email").fill("efua@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Apply to join.
    page.get_by_role("link", name="Join").click()
    page.get_by_label("Name").fill("Efua Asante")
    page.get_by_label("Country").select_option("GH")
    page.get_by_label("Motivation").fill("I coach school leaders in the Central Region.")
    screenshot("join")
    page.get_by_role("button", name="Send my application").click()
    assert Member.objects.get(name="Efua Asante").status == Member.Status.APPLIED
    sign_out(page, live_server)

    # An admin approves the application in the back office.
    sign_in(page, live_server, "admin@example.org")
    page.goto(
        live_server.url + reverse("admin:members_member_changelist") + "?status__exact=applied"
    )
    page.get_by_role("row", name=re.compile("Efua Asante")).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 member approved.")).to_be_visible()
    assert "approved" in mail.outbox[-1].subject.lower()
    sign_out(page, live_server)

    # The new member finds the members-only report and downloads it.
    sign_in(page, live_server, "efua@example.org", PASSWORD)
    page.get_by_role("link", name="Resources").first.click()
    page.get_by_label("Search the library").fill("coaching principals")
    page.get_by_label("Search the library").press("Enter")
    page.get_by_role("link", name="Principal coaching evaluation in Ghana").click()
    screenshot("report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    report.refresh_from_db()
    assert report.download_count == 1
