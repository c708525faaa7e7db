"""Steps shared by the browser journeys."""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "tests" / "artifacts"
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 390}


def sign_in(page, live_server, email, password="correct horse battery"):
    """Sign in through the real form (the personas' password by default)."""
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
