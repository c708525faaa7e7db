"""Personas of a working group: its coordinator, a member, a network member outside it."""

import pytest

from groups.models import GroupMembership, WorkingGroup
from tests.helpers import make_member


def make_group(slug="case-study-group", **fields):
    fields.setdefault("name", slug.replace("-", " ").title())
    fields.setdefault("purpose", "Researchers and program providers study five programs.")
    return WorkingGroup.objects.create(slug=slug, **fields)


def add(group, user, role=GroupMembership.Role.MEMBER, state=GroupMembership.State.ACTIVE, **kw):
    return GroupMembership.objects.create(group=group, member=user, role=role, state=state, **kw)


@pytest.fixture
def group(db):
    return make_group(join_policy=WorkingGroup.JoinPolicy.REQUEST)


@pytest.fixture
def coordinator(group):
    user = make_member("coord@example.org", "Carla Coordinator").user
    add(group, user, GroupMembership.Role.COORDINATOR)
    return user


@pytest.fixture
def member(group):
    user = make_member("mem@example.org", "Mehdi Member").user
    add(group, user)
    return user


@pytest.fixture
def outsider(db):
    """A network member who is not in the group."""
    return make_member("out@example.org", "Olga Outsider").user
