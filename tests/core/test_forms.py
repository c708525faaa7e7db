"""Every site form renders through one partial and answers 400 when submitted with errors."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Member, Organization
from tests.helpers import make_event, make_user


@pytest.fixture
def people(db):
    member = make_user("amina@example.org", "Members", "Researchers", "Event staff")
    Member.objects.create(
        user=member, name="Amina Mensah", slug="amina-mensah", status=Member.Status.APPROVED
    )
    other = make_user("joao@example.org", "Members")
    joao = Member.objects.create(
        user=other, name="João Silva", slug="joao-silva", status=Member.Status.APPROVED
    )
    Organization.objects.create(
        name="Sample org", slug="sample-org", contact=Member.objects.get(user=member)
    )
    make_event()
    return {"member": member, "newcomer": make_user("new@example.org"), "joao": joao}


# (url name, kwargs, who, an invalid submission: the worst a person could send)
FORMS = [
    ("members:join", {}, "newcomer", {"name": "", "website": "not a url" * 40}),
    ("members:edit_profile", {}, "member", {"name": "", "website": "javascript:alert(1)"}),
    ("members:contact", {"slug": "joao-silva"}, "member", {"subject": "", "body": ""}),
    ("members:organization_edit", {"slug": "sample-org"}, "member", {"website": "x" * 300}),
    ("members:program_create", {"slug": "sample-org"}, "member", {"name": ""}),
    ("members:delete_account", {}, "member", {"confirm": ""}),
    ("resources:case_study_create", {}, "member", {"title": "\x00"}),
    ("events:staff_guest", {"slug": "summit-2030"}, "member", {"name": "", "email": "nope"}),
    ("events:import", {"slug": "summit-2030"}, "member", {"preview": ""}),  # no file
    ("account_login", {}, None, {"login": "amina@example.org", "password": "wrong"}),
    ("account_signup", {}, None, {"email": "bad", "password1": "a", "password2": "b"}),
]


@pytest.mark.parametrize("name,kwargs,who,data", FORMS, ids=[f[0] for f in FORMS])
def test_invalid_form_answers_400_with_errors_next_to_fields(people, name, kwargs, who, data):
    client = Client()
    if who:
        client.force_login(people[who])
    url = reverse(name, kwargs=kwargs)
    # The guest form is posted from the attendee list.
    page = client.get(reverse("events:attendees", kwargs=kwargs) if "guest" in name else url)
    assert page.status_code == 200
    assert 'class="field' in page.text  # the one partial
    assert 'class="form-errors"' not in page.text

    response = client.post(url, data)
    assert response.status_code == 400, response.status_code
    html = response.text
    assert 'class="form-errors" role="alert"' in html
    # Each field in error names its error list, which is on the page with that id.
    described = re.findall(r'aria-invalid="true"[^>]*aria-describedby="([^"]+)"', html)
    described += re.findall(r'aria-describedby="([^"]+)"[^>]*aria-invalid="true"', html)
    ids = {i for value in described for i in value.split() if i.endswith("_error")}
    assert ids or "nonfield" in html
    for error_id in ids:
        assert f'id="{error_id}"' in html


def test_required_fields_are_marked_and_help_text_is_described(people):
    client = Client()
    client.force_login(people["member"])
    html = client.get(reverse("members:edit_profile")).text
    assert '<label for="id_name" class="required">' in html
    assert '<label for="id_position">' in html  # optional
    help_ids = re.findall(r'<p class="helptext" id="([^"]+)"', html)
    assert help_ids
    for help_id in help_ids:
        assert re.search(rf'aria-describedby="[^"]*\b{help_id}\b', html), help_id


def test_a_valid_form_is_not_400(people):
    client = Client()
    client.force_login(people["member"])
    url = reverse("members:program_create", kwargs={"slug": "sample-org"})
    assert client.post(url, {"name": "Coaching circles"}).status_code == 302
