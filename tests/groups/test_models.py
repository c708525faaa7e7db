"""The groups' models: one membership per person and group, translations, read marks."""

import pytest
from django.db import IntegrityError
from django.utils import translation

from groups.models import GroupMembership, Thread, WorkingGroup
from tests.groups.conftest import add, make_group


def test_one_membership_per_member_and_group(group, member):
    with pytest.raises(IntegrityError):
        add(group, member)


def test_purpose_is_translatable(db):
    group = make_group(purpose="Collaborative working groups")
    group.purpose_fr = "Groupes de travail collaboratifs"
    group.save()
    with translation.override("fr"):
        assert WorkingGroup.objects.get(pk=group.pk).purpose == "Groupes de travail collaboratifs"
    with translation.override("es"):  # falls back to English
        assert WorkingGroup.objects.get(pk=group.pk).purpose == "Collaborative working groups"


def test_choices_are_text_choices():
    assert GroupMembership.Notify.EVERY_POST == "every_post"
    assert WorkingGroup.JoinPolicy.INVITATION == "invitation"
    assert Thread._meta.ordering[0] == "-pinned"
