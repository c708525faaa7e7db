"""A visitor's first visit: sign up, confirm the email, read the network's story.
Every public page type passes axe-core and stays within the page-weight budget."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

PASSWORD = "a long and memorable passphrase"
PAGE_WEIGHT_BUDGET = 50 * 1024


@pytest.fixture
def network(transactional_db, history):
    """The history, committed for the live server."""


def test_visitor_signs_up_confirms_email_and_reads_the_journey(
    page, live_server, network, screenshot
):
    page.goto(live_server.url)
    screenshot("home")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("ama@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    confirm_path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + confirm_path)
    screenshot("confirm")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("link", name="Our journey").first.click()
    expect(page.get_by_role("heading", name="ALL-IN Working Session in Paris")).to_be_visible()
    expect(page.get_by_text("42", exact=True)).to_be_visible()
    screenshot("journey")


def test_sign_up_errors_are_shown_next_to_fields(
    page, live_server, network, axe_violations, screenshot
):
    page.goto(live_server.url + reverse("account_signup"))
    page.get_by_label("Email").fill("not-an-email@")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("different")
    # Skip the browser's own validation to see the server's messages.
    page.evaluate("document.querySelector('form.signup, form').noValidate = true")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.locator(".errorlist").first).to_be_visible()
    screenshot("errors")
    assert axe_violations() == []


PUBLIC_PAGES = [
    reverse("home"),
    reverse("about"),
    reverse("journey"),
    reverse("living_lab"),
    reverse("contact"),
    reverse("events:list"),
    reverse("events:detail", kwargs={"slug": "paris-2019"}),
    reverse("resources:list"),
    reverse("resources:list") + "?q=school+leadership&type=report",
    reverse("resources:detail", kwargs={"slug": "global-school-leaders-report"}),
    reverse("resources:case_studies"),
    reverse("members:list"),
    reverse("members:list") + "?q=leader&oecd=no",
    reverse("members:organizations"),
    reverse("members:organization", kwargs={"slug": "wise"}),
    reverse("account_login"),
    reverse("account_signup"),
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible_light_and_self_contained(
    page, network, page_weight, axe_violations, path
):
    total, foreign = page_weight(path)
    assert foreign == []
    assert total <= PAGE_WEIGHT_BUDGET, f"{path}: {total} bytes compressed"
    assert axe_violations() == []
