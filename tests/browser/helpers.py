"""Steps shared by the browser journeys."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "tests" / "artifacts"
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 390}


def tr(code, text):
    """`text` (an English msgid) as the portal says it in `code`, from the same catalogues.

    A selector built with it fails when a translation is missing (the page shows English) or
    when the page leaves the English text in place (the selector looks for the translation).
    """
    with translation.override(code):
        return translation.gettext(text)


def trn(code, singular, plural, number):
    """The plural form of `tr`, with the number filled in (`%d` msgids)."""
    with translation.override(code):
        return translation.ngettext(singular, plural, number) % number


def use_language(page, live_server, code):
    """Give the browser the language cookie the switcher sets."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}]
    )


def expect_language(page, code):
    """The page says the language it is in: `<html lang dir>`."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", code)
    bidi = translation.get_language_info(code)["bidi"]
    expect(html).to_have_attribute("dir", "rtl" if bidi else "ltr")


def sign_in(page, live_server, email, password="correct horse battery", code="en"):
    """Sign in through the real form (the personas' password by default), in language `code`.

    The account's own `language` wins after signing in: give the persona the same one.
    """
    page.context.clear_cookies()
    if code != settings.LANGUAGE_CODE:
        use_language(page, live_server, code)
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label(tr(code, "Email")).fill(email)
    page.get_by_label(tr(code, "Password")).fill(password)
    page.get_by_role("button", name=tr(code, "Sign in"), exact=True).click()
    expect(page.get_by_role("button", name=tr(code, "Sign out"))).to_be_visible()
