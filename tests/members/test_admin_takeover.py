"""A network admin can take over no staff or superuser account through the back office.

The walk below visits every registered admin model as a network admin: the list and change
pages, then POSTs to the add, change, delete, password and every bulk-action view aimed at
a superuser's and another admin's rows. After each POST it compares what authenticates
those two accounts (email, password, flags, groups, permissions, email addresses,
sessions) with what it was, and fails on any change. The same walk as a superuser does
change them: the POSTs are valid, so the test can fail.
"""

import datetime
import itertools

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.forms import CheckboxInput, MultiWidget
from django.forms.models import ModelChoiceField, ModelMultipleChoiceField
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from members.models import Member, User
from members.protection import AccountGuardMixin
from tests.helpers import make_user

ADDRESS_NUMBERS = itertools.count()


def account_state(pk):
    """Everything that authenticates account `pk`, or "deleted"."""
    user = User.objects.filter(pk=pk).first()
    if user is None:
        return "deleted"
    sessions = sum(
        1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(pk)
    )
    return {
        "account": (user.email, user.password, user.is_active, user.is_staff, user.is_superuser),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
        "addresses": sorted(
            EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")
        ),
        "sessions": sessions,
        # A second account answering to the same address would receive its resets too.
        "same_address": User.objects.filter(email__iexact=user.email).count(),
        "group_permissions": sorted(
            Permission.objects.filter(group__user=user).values_list("codename", flat=True)
        ),
    }


def _account_relations(model):
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and f.related_model is User
    ]


def _dummy(field, name):
    if isinstance(field, ModelMultipleChoiceField):
        return [str(o.pk) for o in field.queryset[:1]]
    if isinstance(field, ModelChoiceField):
        first = field.queryset.first()
        return str(first.pk) if first else ""
    choices = getattr(field, "choices", None)
    if choices:
        values = [str(v) for v, _ in choices if v not in ("", None)]
        return values[0] if values else ""
    kind = type(field).__name__
    if "Email" in kind:
        return "walker@example.org"
    if "URL" in kind:
        return "https://example.org/"
    if "Integer" in kind or "Decimal" in kind or "Float" in kind:
        return "1"
    if "DateTime" in kind:
        return ["2030-01-01", "10:00:00"]
    if "Date" in kind:
        return "2030-01-01"
    if "Slug" in kind:
        return f"walker-{name}"
    return f"Walker {name}"


def form_data(form, mutate=None):
    """POST data of a form as its page would submit it, required gaps filled."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if value in (None, "", []) and field.required:
            value = _dummy(field, name)
        if mutate:
            value = mutate(name, field, value)
        widget = field.widget
        if isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(widget, MultiWidget) and not isinstance(value, list):
            value = widget.decompress(value)
        if isinstance(widget, MultiWidget):
            for i, part in enumerate(value):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
            continue
        if value is None:
            continue
        if isinstance(field, ModelMultipleChoiceField):
            # A browser submits only what the page offers.
            offered = {str(pk) for pk in field.queryset.values_list("pk", flat=True)}
            value = [v for v in value if str(getattr(v, "pk", v)) in offered]
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, (datetime.date, datetime.datetime)):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(getattr(value, "pk", value))
    return data


def admin_post_data(model_admin, request, obj, mutate):
    """The add (obj None) or change form of a ModelAdmin, with its inlines' management."""
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    form = form_class(instance=obj) if obj is not None else form_class()
    data = form_data(form, mutate)
    prefixes = {}
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        prefixes[prefix] = prefixes.get(prefix, 0) + 1
        if prefixes[prefix] != 1:
            prefix = f"{prefix}-{prefixes[prefix]}"
        formset = formset_class(instance=obj or model_admin.model(), prefix=prefix)
        initial = formset.initial_form_count() if obj is not None else 0
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(initial),
                f"{prefix}-INITIAL_FORMS": str(initial),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for inline_form in formset.forms[:initial]:
            data.update(form_data(inline_form))
    return data


def attack(target_pks, attacker_pk):
    """Turn every field that could authenticate someone towards the attacker."""

    def mutate(name, field, value):
        if name == "email":
            return f"attacker-{next(ADDRESS_NUMBERS)}@evil.example"
        if name in ("verified", "is_active", "is_staff", "is_superuser"):
            return True
        if name == "primary":
            return False  # an extra verified address is enough for a password reset
        if name in ("password1", "password2"):
            return "Taken-over-9876"
        if name in ("groups", "user_permissions", "permissions") and hasattr(field, "queryset"):
            return [str(o.pk) for o in field.queryset]
        if name == "status":
            return Member.Status.LAPSED
        if isinstance(field, ModelChoiceField) and field.queryset.model is User:
            if isinstance(field, ModelMultipleChoiceField):
                return [str(pk) for pk in target_pks]
            if str(getattr(value, "pk", value)) not in {str(pk) for pk in target_pks}:
                return str(target_pks[0])
        return value

    return mutate


def walk(client, actor, targets):
    """Every admin POST a back-office user can aim at `targets`; returns those that changed
    what authenticates one of them, and what the lists showed."""
    request = RequestFactory().get("/")
    request.user = actor
    changed, leaked, deletions = [], [], []
    target_pks = [t.pk for t in targets]

    def post(url, data, what):
        before = {pk: account_state(pk) for pk in target_pks}
        response = client.post(url, data)
        if response.status_code == 200 and "adminform" in (response.context or {}):
            print(what, response.context["adminform"].form.errors)  # shown when it fails
        after = {pk: account_state(pk) for pk in target_pks}
        if before != after:
            changed.append(what)

    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"{opts.app_label}.{opts.model_name}"
        base = f"admin:{opts.app_label}_{opts.model_name}"
        relations = _account_relations(model)
        if model is User:
            rows = list(User.objects.filter(pk__in=target_pks))
        elif relations:
            rows = []
            for relation in relations:
                rows += list(model._default_manager.filter(**{f"{relation.name}__in": target_pks}))
        elif model is Group:
            rows = list(Group.objects.all())
        else:
            continue  # rows that reach no account cannot authenticate one

        listing = client.get(reverse(f"{base}_changelist"))
        if listing.status_code == 200 and model in (User, EmailAddress):
            for target in targets:
                if target.email in listing.text:
                    leaked.append(f"{name} list shows {target.email}")

        # Bulk actions first: the change pages below would have done their work.
        selected = [str(row.pk) for row in rows]
        for action in model_admin.get_actions(request):
            if action == "delete_selected":
                continue  # last: it removes the rows the other actions aim at
            post(
                reverse(f"{base}_changelist"),
                {"action": action, "_selected_action": selected, "index": "0", "post": "yes"},
                f"action {name}.{action}",
            )
        # Add: a new row pointed at a protected account.
        data = admin_post_data(model_admin, request, None, attack(target_pks, actor.pk))
        post(reverse(f"{base}_add"), data, f"add {name}")

        for row in rows:
            change = reverse(f"{base}_change", args=[row.pk])
            page = client.get(change)
            if page.status_code == 200 and model in (User, EmailAddress):
                leaked.append(f"{name} change page of {row}")
            data = admin_post_data(model_admin, request, row, attack(target_pks, actor.pk))
            post(change, data, f"change {name} {row.pk}")
            if model is User:
                password = reverse("admin:auth_user_password_change", args=[row.pk])
                post(
                    password,
                    {
                        "password1": "Taken-over-9876",
                        "password2": "Taken-over-9876",
                        "usable_password": "true",
                    },
                    f"password {row.pk}",
                )

        # Deletions last, so that every other step finds the rows.
        for row in rows:
            try:
                delete = reverse(f"{base}_delete", args=[row.pk])
            except NoReverseMatch:
                continue
            deletions.append((delete, {"post": "yes"}, f"delete {name} {row.pk}"))
        if "delete_selected" in model_admin.get_actions(request):
            deletions.append(
                (
                    reverse(f"{base}_changelist"),
                    {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
                    f"action {name}.delete_selected",
                )
            )
    for url, data, what in deletions:
        post(url, data, what)
    return changed, leaked


def _staff_person(email, name, *groups, **flags):
    user = make_user(email, *groups, **flags)
    Member.objects.create(
        user=user, name=name, slug=name.lower().replace(" ", "-"), status=Member.Status.APPROVED
    )
    user.groups.add(Group.objects.get(name="Members"))
    user.emailaddress_set.create(email=f"second.{email}", verified=False, primary=False)
    Client().force_login(user)  # a live session of theirs
    return user


@pytest.fixture
def protected_accounts(db):
    root = _staff_person("Root@Example.org", "Root Person", is_staff=True, is_superuser=True)
    colleague = _staff_person(
        "colleague@example.org", "Colleague Admin", "Network admins", is_staff=True
    )
    return [root, colleague]


def test_a_network_admin_changes_nothing_that_authenticates_staff(
    client, network_admin, protected_accounts
):
    client.force_login(network_admin)
    changed, leaked = walk(client, network_admin, protected_accounts)
    assert changed == []
    assert leaked == []


def test_the_same_walk_as_a_superuser_does_change_them(client, protected_accounts):
    """The walk's POSTs are valid: where the guard does not apply, they take effect."""
    superuser = make_user("super@example.org", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    root, colleague = protected_accounts
    colleague_address = EmailAddress.objects.get(user=colleague, primary=True).pk
    changed, leaked = walk(client, superuser, protected_accounts)
    for expected in [
        "add account.emailaddress",
        f"change members.user {colleague.pk}",
        f"password {root.pk}",
        f"change account.emailaddress {colleague_address}",
        "action account.emailaddress.make_verified",
        "action members.member.lapse_selected",
        f"delete members.user {root.pk}",
    ]:
        assert expected in changed, expected
    assert leaked


def test_every_admin_of_authenticating_data_is_guarded(db):
    """The mechanism, not one form: accounts, their addresses and their profiles."""
    for model in (User, EmailAddress, Member):
        assert isinstance(admin.site._registry[model], AccountGuardMixin), model
    # Groups and permissions: network admins may look, not change.
    group_admin_perms = set(
        Group.objects.get(name="Network admins")
        .permissions.filter(content_type__app_label__in=["auth", "account", "sessions"])
        .values_list("codename", flat=True)
    )
    assert group_admin_perms == {"view_group", "view_emailaddress", "change_emailaddress"}


def test_network_admin_still_edits_a_plain_member(network_admin_client, member_user):
    member = member_user.member
    url = reverse("admin:members_member_change", args=[member.pk])
    request = RequestFactory().get("/")
    request.user = User.objects.get(email="admin@example.org")
    model_admin = admin.site._registry[Member]
    data = admin_post_data(
        model_admin,
        request,
        member,
        lambda name, field, value: "Amina Mensah-Owusu" if name == "name" else value,
    )
    response = network_admin_client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Amina Mensah-Owusu"
    # ... and the member's account: their name, a verified address of theirs.
    user_url = reverse("admin:members_user_change", args=[member_user.pk])
    user_admin = admin.site._registry[User]
    data = admin_post_data(
        user_admin,
        request,
        member_user,
        lambda name, field, value: "Amina" if name == "first_name" else value,
    )
    data["first_name"] = "Aminata"
    response = network_admin_client.post(user_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member_user.refresh_from_db()
    assert member_user.first_name == "Aminata"
    address = member_user.emailaddress_set.get()
    address.verified = False
    address.save()
    response = network_admin_client.post(
        reverse("admin:account_emailaddress_changelist"),
        {"action": "make_verified", "_selected_action": [address.pk], "index": "0"},
    )
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified


def test_network_admin_cannot_grant_the_members_group_by_hand(network_admin_client, db):
    """The Members group follows the membership status only (members/services.py)."""
    outsider = make_user("outsider@example.org")
    request = RequestFactory().get("/")
    request.user = User.objects.get(email="admin@example.org")
    user_admin = admin.site._registry[User]
    form = user_admin.get_form(request, outsider, change=True)(instance=outsider)
    offered = set(form.fields["groups"].queryset.values_list("name", flat=True))
    assert offered == {"Researchers", "Event staff", "Translators"}
    data = form_data(form)
    data["groups"] = [str(g.pk) for g in Group.objects.all()]
    network_admin_client.post(reverse("admin:members_user_change", args=[outsider.pk]), data)
    assert not outsider.groups.filter(name__in=["Members", "Network admins"]).exists()
