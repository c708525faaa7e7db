"""Who sees what: visitor / member / researcher / other researcher / reviewer, on pages,
search results, the feed and file downloads."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from resources import services
from tests.helpers import make_case_study, make_user, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(member_user, researcher, other_researcher, reviewer):
    def logged_in(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return {
        "visitor": logged_in(None),
        "member": logged_in(member_user),
        "researcher": logged_in(researcher),
        "other_researcher": logged_in(other_researcher),
        "reviewer": logged_in(reviewer),
    }


def found(client, q):
    html = client.get(reverse("resources:list"), {"q": q}).content.decode()
    return 'class="resource-list"' in html


def in_feed(client, title):
    return title in client.get(reverse("resources:feed")).content.decode()


def test_public_resource_is_open_to_everyone(clients, public_resource):
    for name, client in clients.items():
        assert client.get(public_resource.get_absolute_url()).status_code == 200, name
        assert found(client, "leadership"), name
        response = client.get(public_resource.get_download_url())
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        release(response)
    public_resource.refresh_from_db()
    assert public_resource.download_count == len(clients)
    assert in_feed(clients["visitor"], public_resource.title)


def test_members_only_resource_shows_visitors_title_and_abstract_only(clients, members_resource):
    visitor = clients["visitor"]
    page = visitor.get(members_resource.get_absolute_url()).content.decode()
    assert members_resource.title in page
    assert members_resource.abstract in page
    assert "Sign in" in page
    assert members_resource.get_download_url() not in page
    response = visitor.get(members_resource.get_download_url())
    assert response.status_code == 302  # sign in, then the file
    assert response["Location"] == (
        reverse("account_login") + "?next=" + members_resource.get_download_url()
    )
    assert not found(visitor, "coaching")
    assert not in_feed(visitor, members_resource.title)
    for name in ("member", "researcher", "other_researcher", "reviewer"):
        client = clients[name]
        page = client.get(members_resource.get_absolute_url()).content.decode()
        assert members_resource.get_download_url() in page, name
        assert found(client, "coaching"), name
        response = client.get(members_resource.get_download_url())
        assert response.status_code == 200, name
        release(response)
    # The feed is public: it never lists members-only records, even for members.
    assert not in_feed(clients["member"], members_resource.title)


def test_a_draft_is_seen_only_by_its_researchers_and_reviewers(clients, researcher, draft):
    resource = draft.resource
    detail = reverse("resources:case_study", kwargs={"slug": resource.slug})
    allowed = {"researcher", "reviewer"}
    for name, client in clients.items():
        expected = 200 if name in allowed else 404
        assert client.get(detail).status_code == expected, name
        assert client.get(resource.get_absolute_url()).status_code == expected, name
        response = client.get(resource.get_download_url())
        assert response.status_code == expected, name
        release(response)
        assert found(client, "Qatar") is (name in allowed), name
        assert not in_feed(client, resource.title), name
    assert (
        clients["visitor"]
        .get(reverse("resources:case_studies"))
        .content.decode()
        .count(resource.title)
        == 0
    )


def test_published_case_study_is_public(clients, researcher, reviewer, draft):
    services.transition(case_study=draft, action="submit", by=researcher)
    services.transition(case_study=draft, action="publish", by=reviewer)
    for name, client in clients.items():
        assert client.get(draft.get_absolute_url()).status_code == 200, name
        assert found(client, "Qatar"), name
    assert (
        draft.resource.title
        in clients["visitor"].get(reverse("resources:case_studies")).content.decode()
    )
    assert in_feed(clients["visitor"], draft.resource.title)


def test_earlier_versions_only_for_researchers_and_reviewers(clients, researcher, reviewer, draft):
    services.transition(case_study=draft, action="submit", by=researcher)
    services.transition(case_study=draft, action="publish", by=reviewer)
    url = reverse("resources:download_version", kwargs={"slug": draft.resource.slug, "number": 1})
    for name, client in clients.items():
        # Visitors sign in first; other users are refused.
        expected = {"researcher": 200, "reviewer": 200, "visitor": 302}.get(name, 403)
        response = client.get(url)
        assert response.status_code == expected, name
        release(response)


def test_files_have_no_public_url(public_resource, settings):
    assert not public_resource.file.name.startswith("/")
    assert str(settings.PRIVATE_MEDIA_ROOT) not in str(settings.MEDIA_ROOT)
    assert public_resource.file.name.startswith("resources/")
    assert public_resource.file.name.endswith(".pdf")
    assert "study" not in public_resource.file.name
    assert Client().get("/media/" + public_resource.file.name).status_code == 404


def test_download_through_the_web_server(client, public_resource, settings):
    settings.FILE_DELIVERY = "x-accel-redirect"
    response = client.get(public_resource.get_download_url())
    assert response["X-Accel-Redirect"] == "/protected/" + public_resource.file.name
    assert response.content == b""
    settings.FILE_DELIVERY = "x-sendfile"
    response = client.get(public_resource.get_download_url())
    assert response["X-Sendfile"].endswith(public_resource.file.name)


def test_download_wrong_method(client, public_resource):
    assert client.post(public_resource.get_download_url()).status_code == 405


def test_unknown_resource_is_404(client):
    assert client.get(reverse("resources:detail", kwargs={"slug": "nope"})).status_code == 404


def test_other_researchers_draft_stays_hidden_from_a_researcher(clients, other_researcher):
    theirs = make_case_study(other_researcher, title="Omar private study")
    researcher = clients["researcher"]
    assert researcher.get(theirs.get_absolute_url()).status_code == 404
    assert not found(researcher, "Omar")
    edit = reverse("resources:case_study_edit", kwargs={"slug": theirs.resource.slug})
    assert researcher.get(edit).status_code == 404


def test_a_case_study_without_review_record_redirects_to_the_record(client):
    from resources.models import Resource
    from tests.helpers import make_resource

    resource = make_resource("Imported case", type=Resource.Type.CASE_STUDY)
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:detail", kwargs={"slug": resource.slug})
    assert client.get(response["Location"]).status_code == 200


def test_a_co_researcher_without_the_group_does_not_leak_a_draft_into_search(
    clients, member_user, draft, settings
):
    # Named on the study in the back office, but not in the Researchers group.
    draft.researchers.add(member_user)
    assert found(clients["member"], "Qatar")  # they may see their own draft...
    assert not found(clients["visitor"], "Qatar")  # ...which never reaches anyone else
    other_member = Client()
    other_member.force_login(make_user("kojo@example.org", "Members"))
    assert not found(other_member, "Qatar")


def test_published_case_study_names_researchers_without_their_email(
    clients, researcher, reviewer, draft
):
    services.transition(case_study=draft, action="submit", by=researcher)
    services.transition(case_study=draft, action="publish", by=reviewer)
    page = clients["visitor"].get(draft.get_absolute_url()).content.decode()
    assert researcher.email not in page
    assert "Rita Owusu" in page


def test_a_visitor_following_a_members_only_download_link_signs_in_and_gets_the_file(
    client, member_user, members_resource
):
    url = members_resource.get_download_url()
    response = client.get(url)
    assert response.status_code == 302
    login = f"{reverse('account_login')}?next={quote(url)}"
    assert response["Location"] == login
    response = client.post(login, {"login": member_user.email, "password": "correct horse battery"})
    assert response.status_code == 302
    assert response["Location"] == url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    release(response)


def test_drafts_get_404_and_signed_in_non_members_403(client, members_resource, draft):
    # A draft's download link tells a visitor nothing, not even that it exists.
    assert client.get(draft.resource.get_download_url()).status_code == 404
    assert client.get("/resources/no-such-record/download/").status_code == 404
    client.force_login(make_user("outsider@example.org"))
    # The members-only record is public knowledge; its file is not for this account.
    assert client.get(members_resource.get_download_url()).status_code == 403
    assert client.get(draft.resource.get_download_url()).status_code == 404
