"""Personas and records for the library: researchers, a reviewer, resources, a case study."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from resources import services
from resources.models import CaseStudy, Resource
from tests.conftest import make_user


def pdf_bytes(text="Hello from ALL-IN"):
    """A small valid one-page PDF whose text pypdf can extract."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(text="Hello from ALL-IN", name="study.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    caches["resources"].clear()
    yield
    caches["resources"].clear()


@pytest.fixture
def researcher(db):
    return make_user("rita@example.org", "Researchers", first_name="Rita", last_name="Owusu")


@pytest.fixture
def other_researcher(db):
    return make_user("omar@example.org", "Researchers", first_name="Omar")


@pytest.fixture
def reviewer(network_admin):
    return network_admin


def make_resource(title, *, abstract="", topics=(), upload=None, **fields):
    resource = Resource(
        title=title,
        slug=fields.pop("slug", None) or slugify(title)[:60],
        type=fields.pop("type", Resource.Type.REPORT),
        abstract=abstract,
        **fields,
    )
    return services.save_resource(resource=resource, topics=list(topics), upload=upload)


@pytest.fixture
def public_resource(db):
    return make_resource(
        "Public leadership report",
        abstract="A public report on school leadership.",
        topics=["leadership"],
        upload=pdf_upload("public file text"),
        countries=["GH"],
    )


@pytest.fixture
def members_resource(db):
    return make_resource(
        "Members toolkit on coaching",
        abstract="A toolkit for coaching principals.",
        access=Resource.Access.MEMBERS,
        type=Resource.Type.TOOLKIT,
        upload=pdf_upload("members file text"),
        countries=["FR"],
    )


def make_case_study(researcher, title="Qatar ELL case study", findings="Principals grew trust"):
    resource = Resource(title=title, slug=title.lower().replace(" ", "-"), abstract="A study.")
    case_study = CaseStudy(key_findings=findings, research_questions="What works?")
    return services.create_case_study(
        resource=resource,
        case_study=case_study,
        by=researcher,
        topics=["case study"],
        upload=pdf_upload("draft file text"),
    )


@pytest.fixture
def draft(researcher):
    return make_case_study(researcher)
