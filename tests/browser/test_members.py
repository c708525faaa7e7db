"""Journey: a network admin imports 150 members from CSV in the back office,
approves them in bulk, edits one, filters the directory by a non-OECD country and exports
the filtered list. Plus axe-core on the directory, a profile, an organization and /join/."""

import csv
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Member, Organization
from tests.browser.helpers import sign_in
from tests.helpers import make_user

COUNTRIES = ["GH", "BR", "IN", "KE", "US", "FR"]


def members_csv(n=150):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "organization", "country", "role_category", "visibility"])
    for i in range(1, n + 1):
        writer.writerow(
            [
                f"journey-{i:03d}@example.org",
                f"Journey Member {i:03d}",
                "Líderes Escolares",
                COUNTRIES[i % len(COUNTRIES)],
                "practitioner" if i % 2 else "academic",
                "public",
            ]
        )
    return out.getvalue().encode()


def test_admin_imports_approves_edits_filters_and_exports(
    page, live_server, transactional_db, screenshot
):
    Organization.objects.create(name="Líderes Escolares", slug="lideres-escolares")
    make_user("admin@example.org", "Network admins", is_staff=True)
    sign_in(page, live_server, "admin@example.org")

    # Import: a dry run first, then for real.
    page.goto(live_server.url + reverse("admin:members_member_changelist"))
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("What the file holds").select_option("members")
    upload = {"name": "members.csv", "mimeType": "text/csv", "buffer": members_csv()}
    page.get_by_label("CSV file (UTF-8)").set_input_files(upload)
    page.get_by_role("button", name="Check or import").click()
    expect(page.get_by_text("Dry run: 150 valid rows")).to_be_visible()
    screenshot("import-preview")
    assert not Member.objects.exists()
    page.get_by_label("CSV file (UTF-8)").set_input_files(upload)
    page.get_by_label("Dry run: check and preview, save nothing").uncheck()
    page.get_by_role("button", name="Check or import").click()
    expect(page.get_by_text("Saved: 150 created, 0 updated.")).to_be_visible()
    assert Member.objects.filter(status=Member.Status.APPLIED).count() == 150

    # Bulk approval of every application, across the changelist's pages.
    page.goto(
        live_server.url + reverse("admin:members_member_changelist") + "?status__exact=applied"
    )
    page.locator("#action-toggle").check()
    page.get_by_role("button", name="Select all 150 members").click()
    page.locator("select[name=action]").select_option("approve_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("150 members approved.")).to_be_visible()
    screenshot("approved")
    assert Member.objects.approved().count() == 150

    # Edit one.
    page.goto(live_server.url + reverse("admin:members_member_changelist") + "?q=Member+007")
    page.get_by_role("link", name="Journey Member 007").click()
    page.get_by_label("Position").fill("Head of school")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert Member.objects.get(name="Journey Member 007").position == "Head of school"

    # The directory, filtered by a non-OECD country.
    page.goto(live_server.url + reverse("members:list"))
    expect(page.get_by_text("150 members listed from 6 countries")).to_be_visible()
    page.get_by_label("Country").select_option("GH")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("25 members listed from 1 country")).to_be_visible()
    expect(page.get_by_role("link", name="Journey Member 006")).to_be_visible()
    screenshot("directory-ghana")

    # And the same list exported from the back office.
    page.goto(live_server.url + reverse("admin:members_member_changelist") + "?country__exact=GH")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export this list as CSV").click()
    with open(download_info.value.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(exported))
    assert len(rows) == 25
    assert {row["country"] for row in rows} == {"GH"}
    assert {row["oecd"] for row in rows} == {"no"}


@pytest.fixture
def directory(transactional_db):
    organization = Organization.objects.create(
        name="Escola de Líderes",
        slug="escola-de-lideres",
        type=Organization.Type.PROGRAM_PROVIDER,
        country="BR",
        description="Trains **school leaders** in Brazil.",
    )
    organization.programs.create(
        name="Líderes 360", slug="lideres-360", leaders_per_year=120, audience="Principals"
    )
    for i, country in enumerate(["BR", "GH", "IN", "CI"]):
        user = make_user(f"p{i}@example.org", "Members")
        member = Member.objects.create(
            user=user,
            name=f"Profile Person {i}",
            slug=f"profile-person-{i}",
            position="Principal",
            organization=organization,
            country=country,
            status=Member.Status.APPROVED,
            visibility=Member.Visibility.PUBLIC,
            bio="Works on *instructional leadership*.",
        )
        member.expertise.add("coaching", "equity")
        member.refresh_search_text()


@pytest.mark.parametrize(
    "path",
    [
        reverse("members:list"),
        reverse("members:list") + "?q=profile&country=GH",
        reverse("members:detail", kwargs={"slug": "profile-person-1"}),
        reverse("members:organization", kwargs={"slug": "escola-de-lideres"}),
        reverse("members:organizations"),
    ],
)
def test_member_pages_are_accessible(page, live_server, directory, axe_violations, path):
    page.goto(live_server.url + path)
    assert axe_violations() == []


def test_join_with_errors_is_accessible(
    page, live_server, transactional_db, axe_violations, screenshot
):
    make_user("applicant@example.org")
    sign_in(page, live_server, "applicant@example.org")
    page.goto(live_server.url + reverse("members:join"))
    page.get_by_label("Website").fill("not a web address")
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.get_by_label("Website")).to_have_value("not a web address")
    screenshot("join-errors")
    assert axe_violations() == []
