"""Browser journeys: Debian's Chromium driven by Playwright against the live server."""

import gzip
from pathlib import Path

import pytest

from tests.browser.helpers import ARTIFACTS, WIDTHS, Axe

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    """Every journey here is a `browser` test: `pytest -m "not browser"` is the quick loop."""
    for item in items:  # the hook sees the whole session's items: mark only this folder's
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def screenshot(page, request):
    """Save the current page at desktop and phone widths under tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(
                path=ARTIFACTS / f"{request.node.name}-{name}-{label}.png", full_page=True
            )
        page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})

    return take


@pytest.fixture
def axe_violations(page):
    """Serious and critical axe-core violations of the current page (see `Axe`)."""
    return Axe(page)


@pytest.fixture
def page_weight(page, live_server):
    """Record every response of the next navigation: compressed bytes and foreign requests."""
    responses = []
    page.on("response", lambda response: responses.append(response))

    def measure(path):
        responses.clear()
        page.goto(live_server.url + path, wait_until="networkidle")
        total, foreign = 0, []
        for response in responses:
            if not response.url.startswith(live_server.url):
                foreign.append(response.url)
                continue
            total += len(gzip.compress(response.body(), compresslevel=6))
        return total, foreign

    return measure


@pytest.fixture(autouse=True)
def fresh_rate_limits(transactional_db):
    """The database cache outlives transactional tests: start and end each one empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
