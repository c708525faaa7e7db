"""Builders shared by the tests (conftest.py files hold fixtures only; import these from here)."""

import datetime
import io
import socket

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from core import datacache
from events.models import Event
from members.models import Member, User
from resources import services as resource_services
from resources.models import CaseStudy, Resource

# moto's S3 server takes any credentials; these are the ones the tests' buckets are made with.
S3_CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


def make_user(email, *groups, **extra):
    user = User.objects.create_user(email=email, password="correct horse battery", **extra)
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def make_member(email, name, *, status=Member.Status.APPROVED, groups=(), **fields):
    if status == Member.Status.APPROVED and not groups:
        groups = ("Members",)
    user = make_user(email, *groups)
    fields.setdefault("visibility", Member.Visibility.PUBLIC)
    member = Member.objects.create(
        user=user,
        name=name,
        slug=slugify(name),
        status=status,
        member_since=timezone.localdate() if status == Member.Status.APPROVED else None,
        **fields,
    )
    member.refresh_search_text()
    return member


def make_member_user(n, **extra):
    """An approved member numbered n (for lists of many); returns the user."""
    user = make_user(f"member{n}@example.org", "Members", first_name=f"Member {n}")
    member = Member.objects.create(
        user=user,
        name=f"Member {n:04d}",
        slug=f"member-{n}",
        country=extra.pop("country", "GH"),
        status=Member.Status.APPROVED,
        **extra,
    )
    member.refresh_search_text()
    return user


def make_event(slug="summit-2030", **extra):
    starts_at = extra.pop("starts_at", timezone.now() + datetime.timedelta(days=30))
    values = {
        "title": "ALL-IN Summit 2030",
        "series": Event.Series.SUMMIT,
        "format": Event.Format.HYBRID,
        "city": "Doha",
        "country": "QA",
        "venue": "Qatar National Convention Centre",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=8),
        "timezone": "Asia/Qatar",
        "summary": "The network meets.",
        "online_link": "https://meet.example.org/all-in-2030",
        "capacity": 2,
        "guests_allowed": True,
        **extra,
    }
    return Event.objects.create(slug=slug, **values)


def image_file(fmt="JPEG", size=(800, 600), name="photo.jpg", exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    buffer.seek(0)
    buffer.name = name
    return buffer


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


def make_resource(title, *, abstract="", topics=(), upload=None, **fields):
    resource = Resource(
        title=title,
        slug=fields.pop("slug", None) or slugify(title)[:60],
        type=fields.pop("type", Resource.Type.REPORT),
        abstract=abstract,
        **fields,
    )
    return resource_services.save_resource(resource=resource, topics=list(topics), upload=upload)


def make_case_study(researcher, title="Qatar ELL case study", findings="Principals grew trust"):
    resource = Resource(title=title, slug=title.lower().replace(" ", "-"), abstract="A study.")
    case_study = CaseStudy(key_findings=findings, research_questions="What works?")
    return resource_services.create_case_study(
        resource=resource,
        case_study=case_study,
        by=researcher,
        topics=["case study"],
        upload=pdf_upload("draft file text"),
    )


def release(response):
    """Close a served file without firing request_finished (which closes the test DB)."""
    for close in getattr(response, "_resource_closers", []):
        close()


def free_port():
    """A TCP port nobody listens on now, chosen by the OS: two runs on one machine (or two
    pytest-xdist workers) never pick the same fixed number."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def commit_data_cache_bumps():
    """Run the data cache bumps the test's transaction owes, as its commit would: the
    requests that follow read the shared cache, as they do after a real commit (until
    then the writing transaction computes its figures afresh and keeps them to itself)."""
    for _sids, callback, _robust in list(connection.run_on_commit):
        if isinstance(callback, datacache._Bump) and not callback.done:
            callback()
