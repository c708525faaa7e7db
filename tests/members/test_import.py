"""The back office's member import: existing accounts found whatever the case of the
address, the one membership rule applied in bulk, a bounded number of queries, and big
confirmed imports run by the task queue with a progress page for whoever started them."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import importjobs
from imports.models import ImportJob
from members import csv_io
from members.models import Member, Organization, User

IMPORT = reverse("admin:members_member_import")
HEADER = "email,name,organization,country,status,visibility,expertise,website"


def upload(*rows, header=HEADER, name="members.csv"):
    content = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def person(n, status="approved", **cells):
    values = {
        "email": f"person{n}@example.org",
        "name": f"Person {n}",
        "organization": "",
        "country": "GH",
        "status": status,
        "visibility": "public",
        "expertise": "leadership; policy",
        "website": "",
        **cells,
    }
    return ",".join(values[c] for c in HEADER.split(","))


def members_group():
    return Group.objects.get(name="Members")


def test_existing_account_found_whatever_the_case(network_admin_client):
    existing = User.objects.create_user(email="mixed.case@example.org")
    response = network_admin_client.post(
        IMPORT, {"kind": "members", "file": upload(person(1, email="Mixed.Case@Example.ORG"))}
    )
    assert response.status_code == 200
    assert "1 updated" not in response.text  # no member row existed: created, same account
    assert User.objects.filter(email__iexact="mixed.case@example.org").count() == 1
    member = Member.objects.get()
    assert member.user == existing


def test_new_addresses_are_stored_lower_case_and_a_second_import_updates(
    network_admin_client,
):
    network_admin_client.post(
        IMPORT, {"kind": "members", "file": upload(person(1, email="New.Person@Example.org"))}
    )
    assert User.objects.get(member__isnull=False).email == "new.person@example.org"
    response = network_admin_client.post(
        IMPORT,
        {"kind": "members", "file": upload(person(1, email="NEW.PERSON@EXAMPLE.ORG", name="N P"))},
    )
    assert "0 created, 1 updated" in response.text
    assert Member.objects.get().name == "N P"
    assert User.objects.count() == 2  # the admin and the person


def test_the_membership_rule_in_bulk(network_admin_client):
    """Approved members are in the Members group, and nobody the import touches is in it
    otherwise: a lapsed member leaves it, an applicant never enters it."""
    lapsing = User.objects.create_user(email="person2@example.org")
    lapsing.groups.add(members_group())
    Member.objects.create(user=lapsing, name="P2", slug="p2", status=Member.Status.APPROVED)
    rows = [person(1, "approved"), person(2, "lapsed"), person(3, "applied"), person(4, "")]
    network_admin_client.post(IMPORT, {"kind": "members", "file": upload(*rows)})
    in_group = set(members_group().user_set.values_list("email", flat=True))
    approved = set(Member.objects.approved().values_list("user__email", flat=True))
    assert in_group == approved == {"person1@example.org"}
    assert Member.objects.get(user__email="person4@example.org").status == "applied"
    assert Member.objects.get(user__email="person1@example.org").member_since is not None


def test_imported_members_are_searchable_with_their_expertise(network_admin_client, client):
    Organization.objects.create(name="Líderes Escolares", slug="lideres")
    network_admin_client.post(
        IMPORT,
        {"kind": "members", "file": upload(person(1, organization="líderes escolares"))},
    )
    member = Member.objects.get()
    assert member.organization.name == "Líderes Escolares"
    assert sorted(member.expertise.names()) == ["leadership", "policy"]
    assert "lideres escolares" in member.search_text and "ghana" in member.search_text
    assert member.region == "sub_saharan_africa" and member.oecd is False
    assert Member.objects.search("lideres").get() == member


def test_the_number_of_queries_does_not_grow_with_the_rows(
    network_admin, django_assert_max_num_queries
):
    rows = [person(n, "approved" if n % 2 else "applied") for n in range(1, 601)]
    with django_assert_max_num_queries(40):
        result = csv_io.import_csv(
            upload=upload(*rows), kind="members", dry_run=False, by=network_admin
        )
    assert result.created == 600 and not result.errors
    assert members_group().user_set.count() == 300


def test_dry_run_of_a_big_file_stays_in_the_request(network_admin_client, settings):
    settings.IMPORT_BACKGROUND_ROWS = 5
    rows = [person(n) for n in range(1, 21)]
    response = network_admin_client.post(
        IMPORT, {"kind": "members", "dry_run": "on", "file": upload(*rows)}
    )
    assert response.status_code == 200 and "Dry run: 20 valid rows" in response.text
    assert not ImportJob.objects.exists() and not Member.objects.exists()


def test_a_big_confirmed_import_runs_in_the_queue_with_its_progress_page(
    client,
    network_admin,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    run_queued_tasks,
):
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(network_admin)
    rows = [person(n) for n in range(1, 21)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"kind": "members", "file": upload(*rows)})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_job", kwargs={"pk": job.pk})
    assert not Member.objects.exists()
    assert importjobs.storage().exists(job.file_name)  # kept privately until it runs
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<meta http-equiv="refresh"' in page.text and "Waiting for the worker" in page.text
    assert "20 rows to import." in page.text

    assert run_queued_tasks() == 1

    assert Member.objects.count() == 20
    assert members_group().user_set.count() == 20
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.checked_rows == 20
    assert not list(tmp_path.joinpath("imports").iterdir())  # the file is gone
    page = client.get(response["Location"])
    assert "refresh" not in page.text
    assert "Imported: 20 created, 0 updated." in page.text
    assert reverse("admin:members_member_changelist") in page.text


def test_a_queued_import_checks_again_and_saves_nothing_when_a_row_went_bad(
    client,
    network_admin,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    run_queued_tasks,
):
    """Between the check and the run, an organization the file names was deleted."""
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    organization = Organization.objects.create(name="Going Away", slug="going-away")
    client.force_login(network_admin)
    rows = [person(n) for n in range(1, 20)] + [person(20, organization="Going Away")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"kind": "members", "file": upload(*rows)})
    organization.delete()
    assert run_queued_tasks() == 1
    assert not Member.objects.exists()
    page = client.get(response["Location"])
    assert "Nothing was imported" in page.text
    assert "No organization named “Going Away”" in page.text
    assert "<td>21</td><td>organization</td>" in page.text


@pytest.mark.parametrize("who", ["visitor", "another admin"])
def test_only_who_started_an_import_sees_its_page(client, network_admin, who):
    job = ImportJob.objects.create(kind="members", title="Members", created_by=network_admin)
    url = reverse("import_job", kwargs={"pk": job.pk})
    if who == "another admin":
        other = User.objects.create_user(email="other@example.org", is_staff=True)
        other.groups.add(Group.objects.get(name="Network admins"))
        client.force_login(other)
        assert client.get(url).status_code == 404
    else:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(network_admin)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_a_big_organization_import_runs_in_the_queue_too(
    client,
    network_admin,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    run_queued_tasks,
):
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(network_admin)
    rows = [f"School network {n},program_provider,KE" for n in range(1, 13)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT,
            {"kind": "organizations", "file": upload(*rows, header="name,type,country")},
        )
    assert response.status_code == 302 and not Organization.objects.exists()
    run_queued_tasks()
    assert Organization.objects.filter(country="KE").count() == 12
    assert len(set(Organization.objects.values_list("slug", flat=True))) == 12
    page = client.get(response["Location"])
    assert "Imported: 12 created, 0 updated." in page.text
    assert reverse("admin:members_organization_changelist") in page.text


def test_slugs_stay_unique_within_the_file_and_against_the_table(network_admin_client):
    taken = User.objects.create_user(email="taken@example.org")
    Member.objects.create(user=taken, name="Ana Ruiz", slug="ana-ruiz")
    rows = [person(1, name="Ana Ruiz"), person(2, name="Ana Ruíz"), person(3, name="Ana-Ruiz")]
    network_admin_client.post(IMPORT, {"kind": "members", "file": upload(*rows)})
    slugs = sorted(Member.objects.values_list("slug", flat=True))
    assert slugs == ["ana-ruiz", "ana-ruiz-2", "ana-ruiz-3", "ana-ruiz-4"]


def test_a_network_admin_cannot_import_over_a_staff_account(network_admin_client, client):
    boss = User.objects.create_superuser(email="boss@example.org", password="x")
    response = network_admin_client.post(
        IMPORT, {"kind": "members", "file": upload(person(1, email="Boss@Example.org"))}
    )
    assert response.status_code == 400
    assert "belongs to a staff account" in response.text
    assert not Member.objects.filter(user=boss).exists()
    # A superuser may.
    client.force_login(boss)
    response = client.post(
        IMPORT, {"kind": "members", "file": upload(person(1, email="Boss@Example.org"))}
    )
    assert response.status_code == 200
    assert Member.objects.filter(user=boss).exists()
