"""Journey: a researcher finds the program they studied among hundreds, with JavaScript
off, and saves the draft with it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Organization, Program
from resources.models import CaseStudy
from tests.browser.helpers import ARTIFACTS, sign_in
from tests.helpers import make_user, pdf_bytes


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def test_researcher_finds_the_program_without_javascript(
    page, live_server, transactional_db, screenshot
):
    escola = Organization.objects.create(name="Escola de Líderes", slug="escola")
    Program.objects.bulk_create(
        Program(organization=escola, name=f"Leadership cohort {n:03d}", slug=f"c-{n}")
        for n in range(300)
    )
    wise = Organization.objects.create(name="WISE", slug="wise")
    Program.objects.create(organization=wise, name="Coaching principals", slug="coach")
    make_user("rita@example.org", "Researchers")
    sign_in(page, live_server, "rita@example.org")

    page.goto(live_server.url + reverse("resources:case_study_create"))
    page.get_by_label("Title").fill("Coaching in Doha")
    page.get_by_label("Find the program studied").fill("coach")
    page.get_by_role("button", name="Find").first.click()
    expect(page.get_by_label("Coaching principals (WISE)")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Coaching in Doha")
    page.get_by_label("Coaching principals (WISE)").check()
    screenshot("found")
    page.set_viewport_size({"width": 360, "height": 900})
    page.screenshot(path=ARTIFACTS / "program-search-360.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Abstract").fill("How coaching changes schools.")
    page.get_by_label("Key findings").fill("Coaching works.")
    page.get_by_label("PDF file").set_input_files(
        {"name": "study.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("coaching")}
    )
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page.get_by_text("Your draft was saved.")).to_be_visible()
    assert CaseStudy.objects.get().program.name == "Coaching principals"
