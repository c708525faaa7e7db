"""Files on S3-compatible object storage (S3_BUCKET): a real S3 HTTP API (moto's server,
tests/conftest.py) behind django-storages. Photos and case-study PDFs go to the bucket, never
to the local folders, and come back through the portal under today's access rule; a queued
import reads its upload from the bucket."""

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from imports import importjobs
from imports.models import ImportJob
from members.models import Member
from resources.models import CaseStudy
from tests.helpers import image_file, make_user, pdf_bytes
from tests.members.test_profiles import profile_data
from tests.resources.test_case_studies import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_folders(settings, tmp_path):
    """The local folders, which must stay empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


def bucket_keys(s3_bucket, bucket):
    listing = s3_bucket.client.list_objects_v2(Bucket=bucket)
    return sorted(entry["Key"] for entry in listing.get("Contents", []))


def test_a_photo_goes_to_the_bucket_and_comes_back_under_media(
    client, s3_storage, s3_bucket, local_folders
):
    user = make_user("efua@example.org", "Members")
    member = Member.objects.create(
        user=user, name="Efua Owusu", slug="efua-owusu", country="GH",
        status=Member.Status.APPROVED, visibility=Member.Visibility.PUBLIC,
    )  # fmt: skip
    client.force_login(user)
    response = client.post(
        reverse("members:edit_profile"), {**profile_data(member), "photo": image_file()}
    )
    assert response.status_code == 302, response.content[:500]
    member.refresh_from_db()
    assert bucket_keys(s3_bucket, s3_storage) == [f"media/{member.photo.name}"]
    assert not list(local_folders.rglob("*.jpg"))
    assert member.photo.url == f"/media/{member.photo.name}"

    client.logout()
    served = client.get(member.photo.url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with storages["default"].open(member.photo.name) as stored:
        assert served.content == stored.read()
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.format == "JPEG"
    assert "immutable" in served["Cache-Control"]
    again = client.get(member.photo.url, HTTP_IF_MODIFIED_SINCE=served["Last-Modified"])
    assert again.status_code == 304
    # Nothing else of the bucket is reachable under /media/: not a missing name, not the
    # private prefix, not another type.
    assert client.get("/media/members/missing.jpg").status_code == 404
    assert client.get("/media/../private/resources/x.jpg").status_code == 404
    assert client.get(f"/media/{member.photo.name[:-4]}.pdf").status_code == 404


def test_a_case_study_pdf_is_private_in_the_bucket_and_streamed_after_the_access_check(
    client, s3_storage, s3_bucket, local_folders, member_user
):
    researcher = make_user("rita@example.org", "Researchers")
    client.force_login(researcher)
    content = pdf_bytes("findings kept in the bucket")
    upload = SimpleUploadedFile("study.pdf", content, content_type="application/pdf")
    response = client.post(
        reverse("resources:case_study_create"),
        {**form_data(access="members"), "file": upload, "submit": "1"},
    )
    assert response.status_code == 302, response.content[:500]
    case_study = CaseStudy.objects.get()
    resource = case_study.resource
    assert case_study.status == CaseStudy.Status.SUBMITTED
    assert f"private/{resource.file.name}" in bucket_keys(s3_bucket, s3_storage)
    assert not list(local_folders.rglob("*.pdf"))
    with pytest.raises(ValueError):
        resource.file.url  # noqa: B018  private files have no address

    download = resource.get_download_url()
    # The researcher gets the file, through the portal.
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    # A member may not see a case study under review; a visitor neither.
    client.force_login(member_user)
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code in (302, 404)
    # No address under /media/ reaches the private prefix.
    assert client.get(f"/media/../private/{resource.file.name}").status_code == 404


def test_a_queued_import_reads_its_file_from_the_bucket(
    client, network_admin, settings, s3_storage, s3_bucket, local_folders,
    django_capture_on_commit_callbacks, run_queued_tasks,
):  # fmt: skip
    settings.IMPORT_BACKGROUND_ROWS = 2
    header = "email,name,organization,country,status,visibility,expertise,website"
    rows = [f"p{n}@example.org,Person {n},,GH,approved,public,policy," for n in range(5)]
    csv = SimpleUploadedFile("m.csv", ("\n".join([header, *rows]) + "\n").encode())
    client.force_login(network_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:members_member_import"), {"kind": "members", "file": csv}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert bucket_keys(s3_bucket, s3_storage) == [f"private/{job.file_name}"]
    assert importjobs.storage().exists(job.file_name)
    assert not list(local_folders.rglob("*.csv"))

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Member.objects.filter(user__email__startswith="p").count() == 5
    assert bucket_keys(s3_bucket, s3_storage) == []  # the upload is gone once run
