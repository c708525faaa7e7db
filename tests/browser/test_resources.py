"""Journey 3: a researcher's case study goes through review and a visitor finds it by searching.
The library's page types pass axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from resources.models import CaseStudy
from tests.browser.helpers import sign_in
from tests.helpers import make_user, pdf_bytes

FINDING = "Weekly learning walks doubled teacher feedback"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def network(transactional_db, history):
    """The history, committed for the live server."""


@pytest.fixture
def pdf_file(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.write_bytes(pdf_bytes(text))
        return path

    return write


def fill_case_study(page, pdf_path):
    page.get_by_label("Title").fill("Learning walks in Doha schools")
    page.get_by_label("Authors").fill("Rita Owusu")
    page.get_by_label("Abstract").fill("A study of principals' learning walks in the ELL program.")
    page.get_by_label("Country").select_option("QA")
    page.get_by_label("Key findings").fill(FINDING + " within one school year.")
    page.get_by_label("Topics").fill("instructional leadership")
    page.get_by_label("PDF file").set_input_files(str(pdf_path))


def test_case_study_from_upload_through_review_to_search(
    page, live_server, network, pdf_file, screenshot
):
    make_user("rita@example.org", "Researchers", first_name="Rita")
    make_user("admin@example.org", "Network admins", is_staff=True)

    # The researcher uploads and submits.
    sign_in(page, live_server, "rita@example.org")
    page.goto(live_server.url + reverse("resources:case_study_create"))
    fill_case_study(page, pdf_file("v1.pdf", "First version"))
    screenshot("form")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Your case study was submitted for review.")).to_be_visible()
    slug = CaseStudy.objects.get().resource.slug

    # The reviewer asks for changes.
    sign_in(page, live_server, "admin@example.org")
    page.goto(live_server.url + reverse("resources:review_queue"))
    page.get_by_role("link", name="Learning walks in Doha schools").click()
    page.get_by_label("Comment").fill("Please say how many schools took part.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("Changes requested").first).to_be_visible()
    screenshot("changes-requested")

    # The researcher uploads a revision and resubmits.
    sign_in(page, live_server, "rita@example.org")
    page.goto(live_server.url + reverse("resources:case_study_edit", kwargs={"slug": slug}))
    page.get_by_label("Methods").fill("Observation in 12 schools.")
    page.get_by_label("PDF file").set_input_files(str(pdf_file("v2.pdf", "Second version")))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Your case study was submitted for review.")).to_be_visible()
    expect(page.get_by_role("link", name="Version 2")).to_be_visible()
    expect(page.get_by_role("link", name="Version 1")).to_be_visible()

    # The reviewer publishes.
    sign_in(page, live_server, "admin@example.org")
    page.goto(live_server.url + reverse("resources:case_study", kwargs={"slug": slug}))
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published").first).to_be_visible()

    # A visitor finds it by a phrase from its findings.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("resources:list"))
    page.get_by_label("Search the library").fill(f'"{FINDING.lower()}"')
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    screenshot("search")
    page.get_by_role("link", name="Learning walks in Doha schools").click()
    expect(page.get_by_role("heading", name="Key findings")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    screenshot("case-study")


def test_case_study_form_errors_are_accessible(
    page, live_server, network, axe_violations, screenshot
):
    make_user("rita@example.org", "Researchers")
    sign_in(page, live_server, "rita@example.org")
    page.goto(live_server.url + reverse("resources:case_study_create"))
    # A draft saves with every field empty; submitting an empty form shows the errors.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    screenshot("errors")
    assert axe_violations() == []


@pytest.fixture
def published_case_study(network):
    from resources import services
    from resources.models import Resource
    from tests.helpers import make_case_study

    researcher = make_user("rita@example.org", "Researchers")
    reviewer = make_user("admin@example.org", "Network admins", is_staff=True)
    case_study = make_case_study(researcher, title="Coaching principals in Ghana")
    services.transition(case_study=case_study, action="submit", by=researcher)
    services.transition(case_study=case_study, action="publish", by=reviewer)
    assert Resource.objects.filter(pk=case_study.resource_id, is_published=True).exists()
    return case_study


@pytest.mark.parametrize(
    "path",
    [
        reverse("resources:list") + "?q=leadership",
        reverse("resources:list") + "?q=leadership&type=report",
        reverse("resources:list") + "?q=nothingmatchesthis",
        reverse("resources:detail", kwargs={"slug": "global-school-leaders-report"}),
        reverse("resources:case_study", kwargs={"slug": "coaching-principals-in-ghana"}),
        reverse("resources:case_studies"),
    ],
)
def test_library_pages_are_accessible(
    page, live_server, published_case_study, axe_violations, screenshot, path
):
    page.goto(live_server.url + path)
    assert axe_violations() == []
