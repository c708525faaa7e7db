"""Personas and shared fixtures: a visitor, a member, an admin, and the network's history."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from allin_portal.history import load_history, read_history
from members.models import Member, User


@pytest.fixture
def history(db):
    """The network's history as `make run` loads it."""
    load_history(read_history())


def make_user(email, *groups, **extra):
    user = User.objects.create_user(email=email, password="correct horse battery", **extra)
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def member_user(db):
    user = make_user("amina@example.org", "Members", first_name="Amina")
    Member.objects.create(
        user=user,
        name="Amina Mensah",
        slug="amina-mensah",
        country="GH",
        status=Member.Status.APPROVED,
        visibility=Member.Visibility.MEMBERS,
    )
    return user


@pytest.fixture
def network_admin(db):
    return make_user("admin@example.org", "Network admins", is_staff=True)


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture
def network_admin_client(client, network_admin):
    client.force_login(network_admin)
    return client


@pytest.fixture(autouse=True)
def empty_memory_caches():
    """The per-worker memory caches (pages, directory counts, search) start every test empty."""
    for name in ("pages", "members", "resources"):
        caches[name].clear()
    yield
    for name in ("pages", "members", "resources"):
        caches[name].clear()
