"""Steps shared by the browser journeys."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "tests" / "artifacts"
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 360}
# axe-core checks every page in both, at both widths: a phone layout hides and shows other things.
AXE_LANGUAGES = ("en", "ar")


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


class Axe:
    """Serious and critical axe-core violations of the page shown, at desktop and phone widths,
    in English and in Arabic.

    The page is checked as it is, then, if the browser reached it by GET, opened again in the
    other of the two languages (the language cookie, as the switcher sets it) and checked again,
    and opened once more in its own language for the test to go on. A page reached by POST (a
    form with its errors, a preview) is checked in its own language only. So call it before
    filling in a form, not between filling and sending.
    """

    def __init__(self, page):
        self.page = page
        self.method = "GET"
        page.on("request", self._record)

    def _record(self, request):
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.method = request.method

    def _at_both_widths(self):
        page = self.page
        found = []
        size = page.viewport_size
        for width in WIDTHS.values():
            page.set_viewport_size({"width": width, "height": 900})
            # Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays on.
            page.evaluate(AXE.read_text())
            result = page.evaluate("axe.run()")
            lang = page.locator("html").get_attribute("lang")
            found += [
                f"{lang} {width}px {v['id']}: {v['help']} ({len(v['nodes'])}x, "
                f"e.g. {v['nodes'][0]['html'][:120]})"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
        page.set_viewport_size(size)
        return found

    def __call__(self):
        page = self.page
        found = self._at_both_widths()
        code = page.locator("html").get_attribute("lang")
        if self.method != "GET" or code not in AXE_LANGUAGES:
            return found
        url = page.url
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        for switch_to in [c for c in AXE_LANGUAGES if c != code] + [code]:
            page.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": switch_to, "url": origin}]
            )
            response = page.goto(url)
            assert response.status < 400, (url, switch_to, response.status)
            expect_language(page, switch_to)
            if switch_to != code:
                found += self._at_both_widths()
        return found
