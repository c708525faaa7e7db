"""A reader in Dakar, Doha or Bogotá reads the network's own words in her language: the
journey, the Paris working session and the About page, as the history's translation files
(pages/data/network_history.<code>.yaml) give them, not the interface's strings only.
axe-core finds no serious or critical violation on the Arabic pages."""

import pytest
from playwright.sync_api import expect

from pages.history import load_history, read_history
from tests.browser.helpers import expect_language, use_language

LANGUAGES = ["fr", "ar", "es"]


@pytest.fixture
def history_data(transactional_db):
    data = read_history()
    load_history(data)
    return data


def first_line(markdown):
    return markdown.strip().splitlines()[0].strip()


@pytest.mark.parametrize("code", LANGUAGES)
def test_reader_reads_the_journey_paris_and_about_in_her_language(
    page, live_server, history_data, axe_violations, code
):
    words = history_data["translations"][code]
    paris = words["events"]["paris-2019"]
    use_language(page, live_server, code)

    page.goto(live_server.url + "/journey/")
    expect_language(page, code)
    stage = words["journey_stages"]["into-action"]
    heading = page.get_by_role("heading", name=stage["title"])
    expect(heading).to_be_visible()
    expect(heading).to_contain_text(stage["name"])
    expect(page.get_by_text(first_line(stage["narrative"]))).to_be_visible()
    doha = words["events"]["doha-wise-2019"]
    expect(page.get_by_text(doha["summary"])).to_be_visible()
    # None of the English of these texts is left on the page.
    expect(page.get_by_text("The third working session for ALL-IN in Paris")).to_have_count(0)
    if code == "ar":
        assert axe_violations() == [], "journey"

    page.get_by_role("link", name=paris["title"]).click()
    expect_language(page, code)
    expect(page.get_by_role("heading", level=1, name=paris["title"])).to_be_visible()
    expect(page.get_by_text(first_line(paris["description"]))).to_be_visible()
    expect(page.get_by_text(paris["agenda"][0]["title"])).to_be_visible()
    expect(page.get_by_text(paris["outcomes"][-1], exact=True)).to_be_visible()
    expect(page.get_by_text(paris["people"][0]["position"]).first).to_be_visible()
    assert paris["title"] in page.title()
    if code == "ar":
        assert axe_violations() == [], "event"

    page.goto(live_server.url + "/about/")
    expect_language(page, code)
    mission = words["content_blocks"]["mission"]
    expect(page.get_by_role("heading", name=mission["title"])).to_be_visible()
    expect(page.get_by_text(first_line(mission["body"]))).to_be_visible()
    pathway = words["pathways"]["research"]
    expect(page.get_by_text(pathway["title"]).first).to_be_visible()
    if code == "ar":
        assert axe_violations() == [], "about"
