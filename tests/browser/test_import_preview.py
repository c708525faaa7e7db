"""The back office's member import preview stays within the page, however wide the rows."""

import pytest
from django.urls import reverse

from tests.browser.helpers import sign_in
from tests.helpers import make_user

HEADER = "email,name,organization,country,status,visibility,expertise,website"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_wide_import_preview_scrolls_in_its_own_box(
    browser, live_server, transactional_db, tmp_path, width
):
    make_user("admin@example.org", "Network admins", is_staff=True)
    long_name = "Directora " + "muy " * 44 + "larga"
    website = "https://example.org/" + "x" * 150
    rows = [
        f"p{n}@example.org,{long_name},,GH,approved,public,leadership,{website}" for n in range(5)
    ]
    csv_file = tmp_path / "members.csv"
    csv_file.write_text("\n".join([HEADER, *rows]) + "\n")
    page = browser.new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server, "admin@example.org")
    page.goto(live_server.url + reverse("admin:members_member_import"))
    page.set_input_files("input[type=file]", str(csv_file))
    page.get_by_role("button", name="Check or import").click()
    assert page.locator("#import-preview").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
