"""The portal's one-query permission backend grants exactly what Django's ModelBackend does."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from members.backends import PermissionsInOneQueryBackend
from tests.helpers import make_user


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache from an earlier check


@pytest.mark.parametrize(
    "groups", [(), ("Members",), ("Members", "Researchers"), ("Event staff",), ("Network admins",)]
)
def test_same_permissions_as_django(db, groups):
    user = make_user("p@example.org", *groups)
    user.user_permissions.add(Permission.objects.get(codename="change_event"))
    make_user("other@example.org", "Network admins")  # someone else's groups never count
    ours = PermissionsInOneQueryBackend().get_all_permissions(fresh(user))
    assert ours == ModelBackend().get_all_permissions(fresh(user))
    assert "events.change_event" in ours
    for name in groups:
        for permission in Group.objects.get(name=name).permissions.select_related("content_type"):
            assert f"{permission.content_type.app_label}.{permission.codename}" in ours


def test_inactive_and_superuser(db):
    inactive = make_user("i@example.org", "Network admins", is_active=False)
    assert PermissionsInOneQueryBackend().get_all_permissions(fresh(inactive)) == set()
    superuser = make_user("s@example.org", is_superuser=True)
    assert PermissionsInOneQueryBackend().get_all_permissions(fresh(superuser)) == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


def test_one_query(db, django_assert_num_queries):
    user = fresh(make_user("q@example.org", "Members", "Researchers"))
    with django_assert_num_queries(1):
        PermissionsInOneQueryBackend().get_all_permissions(user)
