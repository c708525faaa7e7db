"""The case-study form's "program studied" and organization: a server-side search among
thousands of records, without JavaScript, instead of a dropdown of every record."""

import re

import pytest
from django.urls import reverse

from members.models import Organization, Program
from resources.models import CaseStudy
from tests.helpers import pdf_upload
from tests.resources.test_case_studies import form_data

pytestmark = pytest.mark.django_db
NEW = reverse("resources:case_study_create")


@pytest.fixture
def programs(db):
    escola = Organization.objects.create(name="Escola de Líderes", slug="escola")
    wise = Organization.objects.create(name="WISE", slug="wise")
    Program.objects.bulk_create(
        Program(organization=escola, name=f"Leadership cohort {n:03d}", slug=f"cohort-{n}")
        for n in range(300)
    )
    return Program.objects.create(organization=wise, name="Coaching principals", slug="coach")


def offered(page, name):
    return re.findall(rf'<input type="radio" name="{name}" value="(\d*)"', page)


def test_the_form_lists_no_records_until_searched(client, researcher, programs):
    client.force_login(researcher)
    page = client.get(NEW).text
    assert offered(page, "program") == [""]  # "None" only, not 301 programs
    assert 'name="program_q"' in page and 'name="find"' in page


def test_find_shows_the_matches_keeps_the_values_and_saves_nothing(client, researcher, programs):
    client.force_login(researcher)
    response = client.post(NEW, {**form_data(), "program_q": "  COACH ", "find": "program_q"})
    assert response.status_code == 200
    page = response.text
    assert offered(page, "program") == ["", str(programs.pk)]
    assert "Coaching principals (WISE)" in page
    assert 'value="Leading learning in Doha"' in page  # what was typed stays
    assert "Please correct the errors" not in page
    assert not CaseStudy.objects.exists()
    # By organization name too, at most 20 at a time.
    page = client.post(NEW, {**form_data(), "program_q": "escola", "find": "program_q"}).text
    assert len(offered(page, "program")) == 1 + 20


def test_the_chosen_program_is_saved_and_stays_offered(client, researcher, programs):
    client.force_login(researcher)
    data = {**form_data(), "program": programs.pk, "organization_q": "", "file": pdf_upload()}
    response = client.post(NEW, {**data, "save": "1"})
    assert response.status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.program == programs
    assert case_study.organization.name == "WISE"  # the program's organization
    edit = reverse("resources:case_study_edit", kwargs={"slug": case_study.resource.slug})
    page = client.get(edit).text
    assert offered(page, "program") == ["", str(programs.pk)]
    assert re.search(rf'value="{programs.pk}"[^>]*checked', page)


@pytest.mark.parametrize(
    "query, program",
    [
        ("zzzz", ""),
        ("x" * 5000, ""),
        ("50%_\\", ""),
        ("nul\x00byte", ""),
        ("coach", "not-a-number"),
        ("coach", "99999999999999999999999"),
        ("coach", "-1"),
    ],
)
def test_worst_searches_answer_a_page(client, researcher, programs, query, program):
    client.force_login(researcher)
    response = client.post(
        NEW, {**form_data(), "program_q": query, "program": program, "find": "program_q"}
    )
    assert response.status_code == 200
    if query == "zzzz":
        assert "Nothing matches “zzzz”." in response.text


def test_a_program_that_does_not_exist_is_refused(client, researcher, programs):
    client.force_login(researcher)
    response = client.post(NEW, {**form_data(), "program": "987654", "file": pdf_upload()})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not CaseStudy.objects.exists()
