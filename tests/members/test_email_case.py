"""One address, one account, whatever the case of its letters: in the database, at sign-up,
at sign-in, in the back office and in every lookup by address."""

import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from members.models import User
from tests.helpers import make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def amina(db):
    return make_user("mixed.case@example.org")


def test_the_database_refuses_a_second_account_in_another_case(amina):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="Mixed.Case@Example.org", password=PASSWORD)
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "address",
    [
        "mixed.case@example.org",
        "Mixed.Case@Example.org",
        "MIXED.CASE@EXAMPLE.ORG",
        "  mixed.case@example.ORG ",
    ],
)
def test_with_email_finds_the_account_whatever_the_case(amina, address):
    assert User.objects.with_email(address) == amina


def test_with_email_finds_nobody_for_nothing(amina):
    for address in [
        "",
        None,
        "   ",
        "mixed.case@example",
        "%@example.org",
        "mixed_case@example.org",
    ]:
        assert User.objects.with_email(address) is None
    assert User.objects.with_emails(["MIXED.case@example.org", "", "nobody@example.org"]) == {
        "mixed.case@example.org": amina
    }


def test_sign_up_with_the_address_in_another_case_makes_no_second_account(
    client, amina, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        response = client.post(
            reverse("account_signup"),
            {"email": "MIXED.Case@EXAMPLE.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    # allauth answers as if it worked (no account enumeration) but makes no account; the
    # owner of the address is told someone tried.
    assert User.objects.count() == 1
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "already" in mail.outbox[0].body.lower()


def test_sign_in_with_the_address_in_another_case(client, amina):
    response = client.post(
        reverse("account_login"), {"login": "MIXED.CASE@Example.ORG", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == amina


def test_password_reset_in_another_case_reaches_the_account(
    client, amina, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "Mixed.CASE@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mixed.case@example.org"]


def test_back_office_refuses_a_second_account_in_another_case(client, amina):
    client.force_login(make_user("root@example.org", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:members_user_add"),
        {
            "email": "MIXED.case@example.org",
            "password1": "Some-long-pass-1234",
            "password2": "Some-long-pass-1234",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "An account with this email address already exists." in response.text
    assert User.objects.count() == 2  # amina and root
    # Changing another account's address to amina's in another case is refused too.
    other = make_user("other@example.org")
    url = reverse("admin:members_user_change", args=[other.pk])
    response = client.post(url, {"email": "Mixed.Case@example.org", "is_active": "on"})
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.email == "other@example.org"


def test_the_migration_refuses_existing_duplicates_and_lists_them(amina):
    migration = importlib.import_module("members.migrations.0008_user_email_case_insensitive")
    with transaction.atomic():
        with connection.schema_editor() as editor:  # as before the migration
            editor.remove_constraint(User, User._meta.constraints[0])
        twin = User.objects.create_user(email="MIXED.CASE@example.org", password=PASSWORD)
        User.objects.create_user(email="alone@example.org", password=PASSWORD)
        with pytest.raises(migration.DuplicateAccounts) as refused:
            migration.refuse_duplicates(apps, None)
        message = str(refused.value)
        assert f"#{amina.pk} mixed.case@example.org" in message
        assert f"#{twin.pk} MIXED.CASE@example.org" in message
        assert "alone@example.org" not in message
        transaction.set_rollback(True)


def test_the_migration_passes_without_duplicates(amina):
    migration = importlib.import_module("members.migrations.0008_user_email_case_insensitive")
    make_user("another@example.org")
    migration.refuse_duplicates(apps, None)  # no exception
