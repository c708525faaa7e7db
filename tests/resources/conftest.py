"""Personas and records for the library: researchers, a reviewer, resources, a case study."""

import pytest

from resources.models import Resource
from tests.helpers import make_case_study, make_resource, make_user, pdf_upload


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def researcher(db):
    return make_user("rita@example.org", "Researchers", first_name="Rita", last_name="Owusu")


@pytest.fixture
def other_researcher(db):
    return make_user("omar@example.org", "Researchers", first_name="Omar")


@pytest.fixture
def reviewer(network_admin):
    return network_admin


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


@pytest.fixture
def draft(researcher):
    return make_case_study(researcher)
