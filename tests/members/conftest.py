"""Members of every kind for the member-network tests."""

import io

import pytest
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from members.models import Member, Organization
from tests.conftest import make_user


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


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        name="Escola de Líderes São Paulo",
        slug="escola-sao-paulo",
        type=Organization.Type.PROGRAM_PROVIDER,
        country="BR",
    )


@pytest.fixture
def public_member(db, organization):
    return make_member("joao@example.org", "João Silva", country="BR", organization=organization)


@pytest.fixture
def members_only_member(db):
    return make_member(
        "kofi@example.org", "Kofi Boateng", country="CI", visibility=Member.Visibility.MEMBERS
    )


@pytest.fixture
def hidden_member(db):
    return make_member(
        "hana@example.org", "Hana Tanaka", country="JP", visibility=Member.Visibility.HIDDEN
    )


@pytest.fixture
def applicant(db):
    return make_member("new@example.org", "Nora Applicant", status=Member.Status.APPLIED)


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant.user)
    return client


@pytest.fixture
def outsider_client(client, db):
    client.force_login(make_user("outsider@example.org"))
    return client


def image_file(fmt="JPEG", size=(800, 600), name="photo.jpg", exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    buffer.seek(0)
    buffer.name = name
    return buffer
