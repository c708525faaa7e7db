"""Every public page type in Arabic, French and Spanish: right direction, light, switchable
without JavaScript; screenshots in ar and fr at 1280 and 360 px. (axe-core checks each of them
in Arabic too, through `axe_violations`, in test_site.py.)"""

import pytest

from tests.browser.helpers import use_language
from tests.browser.test_site import PAGE_WEIGHT_BUDGET, PUBLIC_PAGES, network  # noqa: F401

pytestmark = pytest.mark.usefixtures("network")


@pytest.mark.parametrize("code", ["ar", "fr", "es"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_page_in_each_language_is_light_and_says_its_language(
    page, live_server, page_weight, code, path
):
    use_language(page, live_server, code)
    total, foreign = page_weight(path)
    assert foreign == []
    assert total <= PAGE_WEIGHT_BUDGET, f"{code} {path}: {total} bytes compressed"
    html = page.locator("html")
    assert html.get_attribute("lang") == code
    assert html.get_attribute("dir") == ("rtl" if code == "ar" else "ltr")


@pytest.mark.parametrize("code", ["ar", "fr"])
def test_screenshots_of_the_main_pages(page, live_server, screenshot, code):
    use_language(page, live_server, code)
    for name, path in [
        ("home", "/"),
        ("about", "/about/"),
        ("resources", "/resources/"),
        ("events", "/events/"),
        ("members", "/members/"),
    ]:
        page.goto(live_server.url + path)
        screenshot(f"{code}-{name}")


def test_visitor_switches_to_arabic_and_back_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/about/")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change language").click()
    assert page.url == live_server.url + "/about/"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "نبذة عن ALL-IN"
    page.get_by_label("اللغة").select_option("fr")
    page.get_by_role("button", name="تغيير اللغة").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    context.close()
