"""The four users' journeys in French, Arabic and Spanish (English: test_membership.py,
test_events.py, test_resources.py, test_members.py).

Every selector is the translation of the English text, taken from the same catalogues in this
process (`tr`), so an untranslated string or an English leftover on the page fails the journey.
Each journey checks `<html lang dir>`, what the user sees at the end, axe-core in Arabic (and
English) at 1280 and 360 px on each page type it passes, and screenshots at 360 and 1280 px in
Arabic and French.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Member, User
from resources.models import CaseStudy, Resource
from tests.browser.helpers import expect_language, sign_in, tr, trn
from tests.helpers import (
    make_event,
    make_member,
    make_member_user,
    make_resource,
    make_user,
    pdf_bytes,
    pdf_upload,
)

LANGUAGES = ["fr", "ar", "es"]
SCREENSHOT_LANGUAGES = {"ar", "fr"}


@pytest.fixture(params=LANGUAGES)
def code(request):
    return request.param


@pytest.fixture
def check_page(code, screenshot, axe_violations, page):
    """At a key page: its language, screenshots (ar, fr) and axe-core (ar)."""

    def check(name):
        expect_language(page, code)
        if code in SCREENSHOT_LANGUAGES:
            screenshot(name)
        if code == "ar":
            assert axe_violations() == [], name

    return check


def speaking(user, code):
    """The persona reads the portal in `code` (the account's language wins at sign-in)."""
    User.objects.filter(pk=user.pk).update(language=code)
    return user


def test_member_searches_filters_and_downloads(
    page, live_server, transactional_db, settings, tmp_path, code, check_page
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    report = make_resource(
        "Principal coaching evaluation in Ghana",
        abstract="What coaching changed for principals in Ghana's districts.",
        access=Resource.Access.MEMBERS,
        upload=pdf_upload("coaching evaluation findings"),
        topics=["coaching"],
    )
    make_resource(
        "Coaching toolkit for district officers",
        abstract="Coaching conversations for district officers.",
        type=Resource.Type.TOOLKIT,
        topics=["coaching"],
    )
    speaking(make_member("efua@example.org", "Efua Asante").user, code)

    sign_in(page, live_server, "efua@example.org", code=code)
    page.get_by_role("link", name=tr(code, "Resources"), exact=True).first.click()
    page.get_by_label(tr(code, "Search the library")).fill("coaching")
    page.get_by_label(tr(code, "Search the library")).press("Enter")
    facets = page.locator(".facets")
    facets.get_by_role("link", name=re.compile("^" + re.escape(tr(code, "Report")))).click()
    expect(facets.locator("[aria-current=true]")).to_contain_text(tr(code, "Report"))
    results = page.locator(".resource-list > li")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(tr(code, "Members only"))
    check_page("library")

    page.get_by_role("link", name="Principal coaching evaluation in Ghana").click()
    expect(page.get_by_role("heading", name=tr(code, "Cite"))).to_be_visible()
    check_page("report")
    with page.expect_download() as download:
        page.get_by_role("link", name=tr(code, "Download the PDF")).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    report.refresh_from_db()
    assert report.download_count == 1


def test_staff_register_an_attendee(page, live_server, transactional_db, code, check_page):
    summit = make_event(capacity=2, guests_allowed=True)
    speaking(make_user("staff@example.org", "Event staff", first_name="Sam"), code)
    make_member_user(1)

    sign_in(page, live_server, "staff@example.org", code=code)
    page.goto(live_server.url + summit.get_absolute_url())
    page.get_by_role("link", name=tr(code, "Manage attendees")).click()
    page.get_by_label(tr(code, "Find a member by name or email")).fill("Member 0001")
    page.get_by_role("button", name=tr(code, "Search")).first.click()
    register = tr(code, "Register %(name)s") % {"name": "Member 0001"}
    page.get_by_role("button", name=register).click()
    done = tr(code, "%(name)s: %(status)s.") % {
        "name": "Member 0001",
        "status": tr(code, "Confirmed"),
    }
    expect(page.get_by_text(done)).to_be_visible()
    expect(page.locator("table.attendees")).to_contain_text("member1@example.org")
    assert summit.registrations.get().user.email == "member1@example.org"
    check_page("attendees")


def test_researcher_submits_a_case_study(
    page, live_server, transactional_db, settings, tmp_path, code, check_page
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    pdf = tmp_path / "study.pdf"
    pdf.write_bytes(pdf_bytes("Learning walks"))
    speaking(make_user("rita@example.org", "Researchers", first_name="Rita"), code)

    sign_in(page, live_server, "rita@example.org", code=code)
    page.goto(live_server.url + reverse("resources:case_study_create"))
    # Before filling it in: the axe check reopens the page in the other language.
    check_page("case-study-form")
    page.get_by_label(tr(code, "Title")).fill("Learning walks in Doha schools")
    page.get_by_label(tr(code, "Authors")).fill("Rita Owusu")
    page.get_by_label(tr(code, "Abstract")).fill("Principals' learning walks in the ELL program.")
    page.get_by_label(tr(code, "Country")).select_option("QA")
    page.get_by_label(tr(code, "Key findings")).fill("Weekly walks doubled teacher feedback.")
    page.get_by_label(tr(code, "Topics")).fill("instructional leadership")
    page.get_by_label(tr(code, "PDF file")).set_input_files(str(pdf))
    page.get_by_role("button", name=tr(code, "Submit for review")).click()
    expect(page.get_by_text(tr(code, "Your case study was submitted for review."))).to_be_visible()
    expect(page.get_by_text(tr(code, "Submitted")).first).to_be_visible()
    assert CaseStudy.objects.get().status == CaseStudy.Status.SUBMITTED
    check_page("case-study-submitted")


def test_admin_approves_an_application(page, live_server, transactional_db, code, check_page):
    make_member("kwame@example.org", "Kwame Mensah", status=Member.Status.APPLIED)
    speaking(make_user("admin@example.org", "Network admins", is_staff=True), code)

    sign_in(page, live_server, "admin@example.org", code=code)
    page.goto(
        live_server.url + reverse("admin:members_member_changelist") + "?status__exact=applied"
    )
    check_page("applications")
    page.get_by_role("row", name=re.compile("Kwame Mensah")).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.get_by_role("button", name=tr(code, "Go")).click()
    approved = trn(code, "%d member approved.", "%d members approved.", 1)
    expect(page.get_by_text(approved)).to_be_visible()
    assert Member.objects.get(name="Kwame Mensah").status == Member.Status.APPROVED
    check_page("approved")
