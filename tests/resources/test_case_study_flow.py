"""The case-study form forgives: drafts save half-done, a chosen PDF survives a failed
submission, reviewers are told, emails link to the right pages, the queue is a table."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from core import jobs
from mail.models import Message
from resources import services
from resources.models import CaseStudy, PendingUpload, Resource, StatusChange
from tests.helpers import make_case_study, make_user, pdf_upload
from tests.resources.test_case_studies import form_data

pytestmark = pytest.mark.django_db
Status = CaseStudy.Status
NEW = reverse("resources:case_study_create")


def test_a_draft_saves_with_every_field_empty(client, researcher):
    client.force_login(researcher)
    empty = {name: "" for name in form_data()}
    response = client.post(NEW, {**empty, "access": "public", "save": "1"})
    assert response.status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.status == Status.DRAFT
    assert case_study.resource.title == "Untitled case study"
    assert not case_study.resource.file


def test_a_draft_saves_without_key_findings_and_is_submitted_later(client, researcher):
    client.force_login(researcher)
    response = client.post(NEW, {**form_data(key_findings=""), "save": "1"})
    assert response.status_code == 302
    case_study = CaseStudy.objects.get()
    edit = reverse("resources:case_study_edit", kwargs={"slug": case_study.resource.slug})
    refused = client.post(edit, {**form_data(key_findings=""), "submit": "1"})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"key_findings", "file"}
    case_study.refresh_from_db()
    assert case_study.status == Status.DRAFT


def test_required_fields_are_marked(client, researcher):
    client.force_login(researcher)
    text = client.get(NEW).text
    assert text.count("(required to submit)") == 4
    assert 'aria-required="true"' in text
    # The kept file's hidden id has no visible label, and "no program" reads as words.
    assert 'name="pending_upload"' in text and 'for="id_pending_upload"' not in text
    assert "Not chosen" in text


def test_the_chosen_pdf_is_kept_across_a_failed_submission(client, researcher):
    client.force_login(researcher)
    first = client.post(
        NEW, {**form_data(key_findings=""), "file": pdf_upload(name="my-study.pdf"), "submit": "1"}
    )
    assert first.status_code == 400
    assert "my-study.pdf" in first.text and "is kept" in first.text
    pending = PendingUpload.objects.get()
    assert pending.user == researcher
    assert f'name="pending_upload" value="{pending.pk}"' in first.text
    assert not Resource.objects.exists()

    second = client.post(NEW, {**form_data(), "pending_upload": pending.pk, "submit": "1"})
    assert second.status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.status == Status.SUBMITTED
    version = case_study.resource.file_versions.get()
    assert version.original_name == "my-study.pdf"
    assert "Hello from ALL-IN" in case_study.resource.file_text
    assert not PendingUpload.objects.exists()


def test_a_new_file_replaces_the_kept_one(client, researcher):
    client.force_login(researcher)
    client.post(NEW, {**form_data(title=""), "file": pdf_upload(name="old.pdf"), "submit": "1"})
    old = PendingUpload.objects.get()
    again = client.post(
        NEW,
        {
            **form_data(title=""),
            "pending_upload": old.pk,
            "file": pdf_upload(name="new.pdf"),
            "submit": "1",
        },
    )
    assert again.status_code == 400
    assert "new.pdf" in again.text and "old.pdf" not in again.text
    assert list(PendingUpload.objects.values_list("original_name", flat=True)) == ["new.pdf"]


def test_someone_elses_pending_upload_is_ignored(client, researcher, other_researcher):
    client.force_login(other_researcher)
    client.post(NEW, {**form_data(title=""), "file": pdf_upload(name="omar.pdf"), "submit": "1"})
    theirs = PendingUpload.objects.get()
    client.force_login(researcher)
    response = client.post(NEW, {**form_data(), "pending_upload": theirs.pk, "submit": "1"})
    assert response.status_code == 400
    assert "omar.pdf" not in response.text
    assert "Attach the case study as a PDF." in response.text
    assert not Resource.objects.exists()


def test_reviewers_are_emailed_when_a_case_study_is_submitted(researcher, reviewer):
    superuser = make_user("root@example.org", is_superuser=True, is_staff=True)
    member = make_user("plain@example.org", "Members")
    draft = make_case_study(researcher)
    Message.objects.all().delete()
    services.transition(case_study=draft, action="submit", by=researcher)
    to_reviewers = list(Message.objects.filter(subject__startswith="Case study to review"))
    assert sorted(m.to for m in to_reviewers) == sorted([reviewer.email, superuser.email])
    assert not Message.objects.filter(to=member.email).exists()
    body = to_reviewers[0].body
    assert "Rita Owusu" in body
    assert "http" in body and reverse("resources:review_queue") in body


def test_published_email_links_to_the_public_page(researcher, reviewer):
    draft = make_case_study(researcher)
    services.transition(case_study=draft, action="submit", by=researcher)
    Message.objects.all().delete()
    services.transition(case_study=draft, action="publish", by=reviewer)
    (message,) = Message.objects.all()
    public = reverse("resources:case_study", kwargs={"slug": draft.resource.slug})
    assert public in message.body
    assert "/edit/" not in message.body


def test_review_queue_is_a_table_oldest_first(client, researcher, reviewer):
    older = make_case_study(researcher, title="Older study")
    newer = make_case_study(researcher, title="Newer study")
    services.transition(case_study=newer, action="submit", by=researcher)
    services.transition(case_study=older, action="submit", by=researcher)
    StatusChange.objects.filter(case_study=older, to_status=Status.SUBMITTED).update(
        at=timezone.now() - datetime.timedelta(days=9)
    )
    client.force_login(reviewer)
    text = client.get(reverse("resources:review_queue")).text
    assert "<table" in text
    for heading in ("Researcher", "Program", "Submitted", "Waiting", "Status"):
        assert f">{heading}</th>" in text
    assert text.index("Older study") < text.index("Newer study")
    assert "9 days" in text and "0 days" in text
    assert "Rita Owusu" in text


def test_review_queue_refuses_researchers(client, researcher):
    client.force_login(researcher)
    assert client.get(reverse("resources:review_queue")).status_code in (403, 404)


def test_a_kept_pdf_nobody_came_back_for_is_deleted_by_the_scheduler(client, researcher):
    client.force_login(researcher)
    client.post(NEW, {**form_data(title=""), "file": pdf_upload(name="left.pdf"), "submit": "1"})
    client.post(NEW, {**form_data(title=""), "file": pdf_upload(name="recent.pdf"), "submit": "1"})
    left, recent = PendingUpload.objects.order_by("pk")
    PendingUpload.objects.filter(pk=left.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    path = Path(left.file.path)
    assert path.exists()
    assert jobs.run_once()["pending_uploads_discarded"] == 1
    assert not path.exists()
    assert list(PendingUpload.objects.all()) == [recent]
    assert Path(recent.file.path).exists()
