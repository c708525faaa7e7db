"""Uploads: PDFs by content only, a size limit with a clear message, kept versions."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from resources import services
from resources.files import validate_pdf
from tests.helpers import pdf_upload

pytestmark = pytest.mark.django_db


def test_a_real_pdf_passes():
    validate_pdf(pdf_upload())


def test_a_renamed_non_pdf_is_refused():
    fake = SimpleUploadedFile("report.pdf", b"PK\x03\x04 zip bytes", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        validate_pdf(fake)


def test_a_damaged_pdf_is_refused():
    broken = SimpleUploadedFile("report.pdf", b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(ValidationError, match="cannot be opened"):
        validate_pdf(broken)


def test_an_oversized_file_is_refused_with_a_clear_message(settings):
    settings.RESOURCE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_pdf(pdf_upload())
    assert "the limit is 100" in error.value.messages[0]


def test_a_new_version_keeps_the_old_one(researcher, draft):
    resource = draft.resource
    first = resource.file.name
    services.update_case_study(case_study=draft, by=researcher, upload=pdf_upload("revised text"))
    resource.refresh_from_db()
    versions = list(resource.file_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].file.name == first
    assert versions[1].file.name == resource.file.name != first
    with versions[0].file.open("rb") as old:
        assert old.read().startswith(b"%PDF-")
    assert "revised text" in resource.file_text


def test_the_pdf_text_is_searchable(client, public_resource):
    response = client.get("/resources/", {"q": '"public file text"'})
    assert public_resource.title in response.content.decode()
