"""/join/: a signed-in user applies; admins approve or reject; the applicant is emailed."""

from django.core import mail
from django.urls import reverse

from members import services
from members.models import Member
from tests.helpers import make_user

JOIN = reverse("members:join")


def application(**extra):
    data = {
        "name": "Wanjiru Kariuki",
        "position": "Head teacher",
        "country": "KE",
        "role_category": Member.RoleCategory.PRACTITIONER,
        "expertise": "instructional leadership, rural schools",
        "visibility": Member.Visibility.PUBLIC,
        "motivation": "I lead a network of rural schools.",
    }
    data.update(extra)
    return data


def test_visitor_is_sent_to_sign_in(client, db):
    response = client.get(JOIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_apply_creates_an_application_and_sends_a_receipt(
    client, db, django_capture_on_commit_callbacks
):
    user = make_user("wanjiru@example.org")
    client.force_login(user)
    assert client.get(JOIN).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, application())
    assert response.status_code == 200
    member = Member.objects.get(user=user)
    assert member.status == Member.Status.APPLIED
    assert member.slug == "wanjiru-kariuki"
    assert member.region == "sub_saharan_africa" and not member.oecd
    assert sorted(member.expertise.names()) == ["instructional leadership", "rural schools"]
    assert "rural schools" in member.search_text
    assert [m.to for m in mail.outbox] == [["wanjiru@example.org"]]
    assert not user.groups.filter(name="Members").exists()
    # Not listed until approved.
    assert "Wanjiru" not in client.get(reverse("members:list")).text
    # A second visit shows the status instead of a new form.
    assert "Applied" in client.get(JOIN).text


def test_apply_with_bad_input_keeps_the_form(client, db):
    client.force_login(make_user("x@example.org"))
    response = client.post(
        JOIN, application(name="", motivation="", website="not a url", orcid="123")
    )
    assert response.status_code == 400
    text = response.text
    assert text.count('class="errorlist"') >= 4
    assert 'value="Head teacher"' in text  # the rest of the form is kept
    assert not Member.objects.exists()
    assert not mail.outbox


def test_join_wrong_method(client, db):
    client.force_login(make_user("x@example.org"))
    assert client.put(JOIN).status_code == 405


def test_approve_adds_to_members_group_and_emails(
    applicant, network_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.approve(member=applicant, by=network_admin)
    applicant.refresh_from_db()
    assert applicant.status == Member.Status.APPROVED
    assert applicant.member_since is not None
    assert applicant.user.groups.filter(name="Members").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert "approved" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/accounts/login/" in mail.outbox[0].body  # a sign-in link
    assert not services.approve(member=applicant, by=network_admin)  # once only


def test_reject_emails_and_keeps_out(applicant, network_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reject(member=applicant, by=network_admin)
    applicant.refresh_from_db()
    assert applicant.status == Member.Status.REJECTED
    assert not applicant.user.groups.filter(name="Members").exists()
    assert len(mail.outbox) == 1 and "application" in mail.outbox[0].subject


def test_lapse_removes_from_group_without_email(public_member):
    assert services.lapse(member=public_member, by=None)
    public_member.refresh_from_db()
    assert public_member.status == Member.Status.LAPSED
    assert not public_member.user.groups.filter(name="Members").exists()
    assert not mail.outbox
