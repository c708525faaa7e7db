"""The case-study workflow: create with a PDF, drafts, submit, review, publish, emails."""

import pytest
from django.urls import reverse

from mail.models import Message
from resources import services
from resources.models import CaseStudy, Resource
from tests.helpers import make_case_study, pdf_upload

pytestmark = pytest.mark.django_db
Status = CaseStudy.Status


def form_data(**changes):
    data = {
        "title": "Leading learning in Doha",
        "authors": "Rita Owusu; Omar Haddad",
        "abstract": "How principals in the ELL program lead learning.",
        "country": "QA",
        "research_questions": "What changes in schools?",
        "methods": "Interviews and observation.",
        "key_findings": "Shared instructional rounds built collective efficacy among teachers.",
        "lessons": "Start small.",
        "topics": "instructional leadership, qatar",
        "access": "public",
    }
    data.update(changes)
    return data


def last_email():
    """The latest email in the outbox (delivered by the queue after the commit)."""
    return Message.objects.order_by("-pk").first()


def action(client, case_study, name, comment=""):
    url = reverse(
        "resources:case_study_action", kwargs={"slug": case_study.resource.slug, "action": name}
    )
    return client.post(url, {"comment": comment})


def test_researcher_saves_a_draft_with_a_pdf(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("resources:case_study_create"), {**form_data(), "file": pdf_upload(), "save": "1"}
    )
    assert response.status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.status == Status.DRAFT
    assert list(case_study.researchers.all()) == [researcher]
    resource = case_study.resource
    assert resource.type == Resource.Type.CASE_STUDY
    assert not resource.is_published
    assert resource.file and resource.file_versions.count() == 1
    assert resource.country_codes == ["QA"] and resource.regions == ["middle_east_north_africa"]
    assert resource.oecd_coverage == Resource.OECDCoverage.NON_OECD
    assert sorted(resource.topics.names()) == ["instructional leadership", "qatar"]
    assert client.get(response["Location"]).status_code == 200


def test_create_without_a_file_or_findings_shows_errors_and_saves_nothing(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("resources:case_study_create"), {**form_data(key_findings=""), "submit": "1"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"key_findings", "file"}
    assert "Attach the case study as a PDF." in response.content.decode()
    assert not Resource.objects.exists()


def test_create_refuses_a_renamed_non_pdf(client, researcher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(researcher)
    fake = SimpleUploadedFile("study.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = client.post(reverse("resources:case_study_create"), {**form_data(), "file": fake})
    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()
    assert not Resource.objects.exists()


def test_create_refuses_an_oversized_file(client, researcher, settings):
    settings.RESOURCE_MAX_UPLOAD_BYTES = 200
    client.force_login(researcher)
    response = client.post(
        reverse("resources:case_study_create"), {**form_data(), "file": pdf_upload()}
    )
    assert response.status_code == 400
    assert "the limit is 200" in response.content.decode()


def test_only_researchers_may_create(client, member_user):
    url = reverse("resources:case_study_create")
    assert client.get(url).status_code == 302  # visitor: to the sign-in page
    client.force_login(member_user)
    assert client.get(url).status_code == 403


def test_the_whole_review_workflow_with_emails(client, researcher, reviewer):
    client.force_login(researcher)
    client.post(
        reverse("resources:case_study_create"), {**form_data(), "file": pdf_upload(), "submit": "1"}
    )
    case_study = CaseStudy.objects.get()
    assert case_study.status == Status.SUBMITTED
    assert Message.objects.filter(to=researcher.email, template="case_study_status").exists()
    assert "Submitted" in Message.objects.filter(to=researcher.email).latest("pk").subject
    assert Message.objects.filter(to=reviewer.email, template="case_study_submitted").exists()

    # A researcher cannot publish their own work.
    assert action(client, case_study, "publish").status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED

    client.force_login(reviewer)
    queue = client.get(reverse("resources:review_queue"))
    assert "Leading learning in Doha" in queue.content.decode()
    action(client, case_study, "start_review")
    action(client, case_study, "comment", "Nice start.")
    # Requesting changes needs a reason.
    action(client, case_study, "request_changes")
    case_study.refresh_from_db()
    assert case_study.status == Status.IN_REVIEW
    action(client, case_study, "request_changes", "Please add the sample size.")
    case_study.refresh_from_db()
    assert case_study.status == Status.CHANGES_REQUESTED
    assert "Please add the sample size." in last_email().body
    assert "http://127.0.0.1:8000/case-studies/" in last_email().body  # a link that works

    client.force_login(researcher)
    edit = reverse("resources:case_study_edit", kwargs={"slug": case_study.resource.slug})
    response = client.post(
        edit,
        {
            **form_data(methods="Interviews with 40 principals."),
            "file": pdf_upload("v2"),
            "submit": "1",
        },
    )
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED
    assert case_study.resource.file_versions.count() == 2

    client.force_login(reviewer)
    action(client, case_study, "publish")
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert case_study.resource.is_published
    assert "Published" in last_email().subject

    history = [(c.from_status, c.to_status, c.by) for c in case_study.history.all()]
    assert history == [
        ("", Status.DRAFT, researcher),
        (Status.DRAFT, Status.SUBMITTED, researcher),
        (Status.SUBMITTED, Status.IN_REVIEW, reviewer),
        (Status.IN_REVIEW, Status.IN_REVIEW, reviewer),
        (Status.IN_REVIEW, Status.CHANGES_REQUESTED, reviewer),
        (Status.CHANGES_REQUESTED, Status.SUBMITTED, researcher),
        (Status.SUBMITTED, Status.PUBLISHED, reviewer),
    ]
    assert all(c.at for c in case_study.history.all())
    assert Message.objects.filter(to=researcher.email).count() == 6  # every change, the comment
    # The reviewers are told of each submission.
    assert Message.objects.filter(to=reviewer.email, template="case_study_submitted").count() == 2

    # Published: no more edits; a reviewer can archive it, which hides it again.
    client.force_login(researcher)
    assert client.get(edit).status_code == 302
    client.force_login(reviewer)
    action(client, case_study, "archive")
    case_study.refresh_from_db()
    assert case_study.status == Status.ARCHIVED
    assert not case_study.resource.is_published
    assert client.logout() is None
    assert client.get(case_study.get_absolute_url()).status_code == 404


def test_transition_rules_in_the_service(researcher, other_researcher, reviewer, draft):
    with pytest.raises(services.TransitionError):
        services.transition(case_study=draft, action="publish", by=reviewer)  # still a draft
    with pytest.raises(services.TransitionError):
        services.transition(case_study=draft, action="submit", by=other_researcher)
    with pytest.raises(services.TransitionError):
        services.transition(case_study=draft, action="request_changes", by=researcher)


def test_action_views_guard_their_doors(client, researcher, other_researcher, draft):
    assert action(client, draft, "submit").status_code == 404  # a draft is not theirs to know
    client.force_login(other_researcher)
    assert action(client, draft, "submit").status_code == 404
    client.force_login(researcher)
    assert action(client, draft, "nonsense").status_code == 404
    url = reverse(
        "resources:case_study_action", kwargs={"slug": draft.resource.slug, "action": "submit"}
    )
    assert client.get(url).status_code == 405


def test_review_queue_is_for_reviewers_only(client, researcher, reviewer, draft):
    url = reverse("resources:review_queue")
    client.force_login(researcher)
    assert client.get(url).status_code == 403
    services.transition(case_study=draft, action="submit", by=researcher)
    client.force_login(reviewer)
    assert draft.resource.title in client.get(url).content.decode()


def test_my_case_studies_lists_only_mine(client, researcher, other_researcher, draft):
    make_case_study(other_researcher, title="Not mine")
    client.force_login(researcher)
    html = client.get(reverse("resources:case_study_mine")).content.decode()
    assert draft.resource.title in html and "Not mine" not in html


def test_case_study_list_runs_few_queries(
    client, researcher, reviewer, django_assert_max_num_queries
):
    for n in range(6):
        cs = make_case_study(researcher, title=f"Study {n}")
        services.transition(case_study=cs, action="submit", by=researcher)
        services.transition(case_study=cs, action="publish", by=reviewer)
    client.logout()
    with django_assert_max_num_queries(4):
        response = client.get(reverse("resources:case_studies"))
    assert response.content.decode().count("Study ") >= 6
