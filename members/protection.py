"""Who may change an account in the back office: the guard against staff takeovers.

An account with back-office access (staff or superuser) is *protected*. A back-office user
who is not a superuser can neither see nor change what authenticates a protected account:
its email addresses, password, groups and permissions (sessions have no admin page). Every
admin page that shows or changes such data, or that can point a row at an account, uses
`AccountGuardMixin`; `tests/members/test_admin_takeover.py` walks every registered admin
page as a network admin and fails on any change it manages to make.
"""

from django.db.models import Q


def is_protected(account):
    """Accounts with back-office access: staff and superusers."""
    return bool(account is not None and (account.is_staff or account.is_superuser))


def may_manage(actor, account):
    """Whether `actor` may change what authenticates `account` in the back office."""
    return actor.is_superuser or not is_protected(account)


def assignable_groups(actor):
    """The roles (groups) `actor` may hand out in the back office: never Members (it follows
    the membership status), and Network admins only by a superuser. The User admin and the
    member record both offer exactly these."""
    from django.contrib.auth.models import Group

    from members import roles, services

    groups = Group.objects.exclude(name=services.MEMBERS_GROUP).order_by("name")
    if not actor.is_superuser:
        groups = groups.exclude(name=roles.NETWORK_ADMINS)
    return groups


def protected_q(prefix=""):
    """The Q of rows whose account (reached through `prefix`, e.g. "user__") is protected."""
    return Q(**{f"{prefix}is_staff": True}) | Q(**{f"{prefix}is_superuser": True})


def manageable_accounts(actor, queryset=None):
    """The accounts `actor` may change or point a row at."""
    from members.models import User

    queryset = User.objects.all() if queryset is None else queryset
    return queryset if actor.is_superuser else queryset.exclude(protected_q())


class AccountGuardMixin:
    """For ModelAdmins of rows that belong to an account (or are accounts).

    `account_field`: the path from the row to its account ("" for the account itself).
    `hide_protected`: protected accounts' rows are left out of the list, the change pages,
    the search and every action for non-superusers (email addresses, the accounts
    themselves). Otherwise they stay visible, read-only (a staff member's directory profile).
    Either way: no change, no deletion, no action, and no form can point a row at a
    protected account.
    """

    account_field = "user"
    hide_protected = True

    def _prefix(self):
        return f"{self.account_field}__" if self.account_field else ""

    def account_of(self, obj):
        return obj if not self.account_field else getattr(obj, self.account_field, None)

    def guarded(self, request, queryset):
        """`queryset` without the rows the requesting user may not change."""
        if request.user.is_superuser:
            return queryset
        return queryset.exclude(protected_q(self._prefix()))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return self.guarded(request, queryset) if self.hide_protected else queryset

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_manage(request.user, self.account_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not may_manage(request.user, self.account_of(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, self.guarded(request, queryset))

    def get_actions(self, request):
        # Every action (ours, Django's delete_selected, third-party ones) only ever
        # receives the rows the user may change.
        actions = super().get_actions(request)
        return {
            name: (self._guard_action(func), name, description)
            for name, (func, name, description) in actions.items()
        }

    def _guard_action(self, func):
        def guarded_action(modeladmin, request, queryset):
            return func(modeladmin, request, modeladmin.guarded(request, queryset))

        guarded_action.__name__ = getattr(func, "__name__", "action")
        for attribute in ("allowed_permissions", "short_description"):
            if hasattr(func, attribute):
                setattr(guarded_action, attribute, getattr(func, attribute))
        return guarded_action

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if _is_account_model(db_field.related_model):
            kwargs["queryset"] = manageable_accounts(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if _is_account_model(db_field.related_model):
            kwargs["queryset"] = manageable_accounts(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _is_account_model(model):
    from django.contrib.auth import get_user_model

    return model is get_user_model()
