"""Members of every kind for the member-network tests."""

import pytest

from members.models import Member, Organization
from tests.helpers import make_member, make_user


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
