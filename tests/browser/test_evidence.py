"""The evidence pages in Chromium: accessible, light, JSON-LD allowed by the CSP."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import ARTIFACTS
from tests.evidence.helpers import case_study
from tests.helpers import make_resource

PAGE_WEIGHT_BUDGET = 50 * 1024


@pytest.fixture
def network(transactional_db, history, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    make_resource("Ghana study", countries=["GH", "NG"], publication_year=2019)
    make_resource("Peru report", countries=["PE", "US"], publication_year=2021)
    case_study("Kenya study", status="published", countries=["KE"], year=2020)
    case_study("Draft study", status="draft", countries=["IN"], year=2021)


PAGES = [
    reverse("evidence:evidence"),
    reverse("evidence:evidence") + "?show=members&pathway=research",
    reverse("evidence:impact"),
    reverse("journey"),
    reverse("living_lab"),
]


@pytest.mark.parametrize("path", PAGES)
def test_evidence_pages_are_accessible_and_light(page, network, page_weight, axe_violations, path):
    total, foreign = page_weight(path)
    assert foreign == []
    assert total <= PAGE_WEIGHT_BUDGET, f"{path}: {total} bytes compressed"
    assert axe_violations() == []
    for svg_title in page.locator("svg > title").all():
        assert svg_title.text_content().strip()


def test_map_links_to_the_filtered_library(page, live_server, network):
    page.goto(live_server.url + reverse("evidence:evidence"))
    page.locator('svg.world-map a[href*="country=KE"]').click()
    expect(page).to_have_url(live_server.url + "/resources/?country=KE")
    expect(page.get_by_text("Kenya study").first).to_be_visible()
    # The metric links work without JavaScript.
    page.goto(live_server.url + reverse("evidence:evidence"))
    page.get_by_role("link", name="Members", exact=True).last.click()
    expect(page.locator('a[aria-current="true"]')).to_have_text("Members")


def test_json_ld_is_allowed_by_the_csp_and_parses(page, live_server, network):
    # Injected through DevTools (not subject to the CSP): records any violation report.
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(live_server.url + reverse("events:detail", kwargs={"slug": "paris-2019"}))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Event" and data["location"]["address"]["addressCountry"] == "FR"
    assert page.evaluate("window.__csp") == []
    assert not [e for e in errors if "Content Security Policy" in e]
    # The check can fail: an inline script that would run is reported.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots(page, live_server, network, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in (
        ("evidence", reverse("evidence:evidence")),
        ("impact", reverse("evidence:impact")),
        ("journey", reverse("journey")),
        ("living-lab", reverse("living_lab")),
    ):
        page.goto(live_server.url + path)
        page.screenshot(path=ARTIFACTS / f"evidence-{name}-{width}.png", full_page=True)
