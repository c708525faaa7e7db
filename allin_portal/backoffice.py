"""The back office's admin site: no list is filtered or searched on what its viewer may not read.

Django lets a change list be filtered on any field of its own model through the query
string (`?body__regex=...`), whatever the page shows: one character at a time, that reads
a hidden field. Here every ModelAdmin registered on the site, the project's and third-party
ones alike, is given `ListedLookupsOnly` at registration, so a list accepts only the
lookups its own filters offer (`list_filter`, `date_hierarchy` and the admin's declared
`safe_lookups`) and answers 400 to any other. Its search never reaches a hidden field: the
admin's `hidden_fields`, and on every model any field named like a password, token, secret
or salt.
"""

import re

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.filters import SimpleListFilter
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP

SECRET_NAME = re.compile(r"password|token|secret|salt", re.IGNORECASE)


class ListedLookupsOnly:
    """A ModelAdmin whose list is filtered only by its own filters and searched only over
    fields its viewers may read. Set on a ModelAdmin (read with defaults here, since this
    class comes first in the MRO):

    `safe_lookups`: field paths its list may be filtered on besides its filters.
    `hidden_fields`: fields no list may filter or search on (shown to nobody, or not to
    every viewer).
    """

    def filterable_paths(self, request):
        """(field paths, exact parameter names) the list's own filters use."""
        paths, names = set(getattr(self, "safe_lookups", ())), set()
        if self.date_hierarchy:
            paths.add(self.date_hierarchy)
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                names.add(item.parameter_name)
            elif isinstance(item, (list, tuple)):
                paths.add(item[0])
            else:
                paths.add(item)
        return paths, names

    def lookup_allowed(self, lookup, value, request=None):
        if _raw_id_popup_lookup(self.model, lookup, value):
            return True
        if not super().lookup_allowed(lookup, value, request):
            return False
        paths, names = self.filterable_paths(request)
        if lookup in names:
            return True
        return any(_within(self.model, path, lookup) for path in paths) and not touches_hidden(
            self.model, lookup, self.admin_site
        )

    def get_search_fields(self, request):
        return [
            name
            for name in super().get_search_fields(request)
            if not touches_hidden(self.model, name.lstrip("^=@"), self.admin_site)
        ]


def hidden_names(model, site):
    """The fields of `model` no back-office list may be filtered or searched on."""
    names = {f.name for f in model._meta.get_fields() if SECRET_NAME.search(f.name)}
    model_admin = site._registry.get(model)
    return names | set(getattr(model_admin, "hidden_fields", ()))


def touches_hidden(model, lookup, site):
    """Whether the field path of `lookup` reads a hidden field of a model on its way."""
    for part in lookup.split(LOOKUP_SEP):
        if part in hidden_names(model, site):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # the rest are lookups and transforms
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _within(model, path, lookup):
    """Whether `lookup` filters the field at `path` itself: the path, then lookups and
    transforms only (a relation may be followed to its key, never to other fields)."""
    if lookup != path and not lookup.startswith(path + LOOKUP_SEP):
        return False
    rest = lookup[len(path) :].split(LOOKUP_SEP)[1:]
    try:
        for part in path.split(LOOKUP_SEP):
            field = model._meta.get_field(part)
            model = field.related_model if field.is_relation else model
    except FieldDoesNotExist:
        return False
    if not field.is_relation:
        return True
    keys = {"pk", model._meta.pk.name, model._meta.pk.attname}
    keys.update(getattr(field, "to_fields", None) or ())
    if rest and rest[0] in keys:
        rest = rest[1:]
    names = {f.name for f in model._meta.get_fields()}
    return not names.intersection(rest)


def _raw_id_popup_lookup(model, lookup, value):
    """The `limit_choices_to` filters Django's raw-id popups pass (as ModelAdmin allows)."""
    for fk_lookup in model._meta.related_fkey_lookups:
        if callable(fk_lookup):
            fk_lookup = fk_lookup()
        if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
            return True
    return False


class BackOfficeSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ListedLookupsOnly):
            admin_class = type(
                admin_class.__name__,
                (ListedLookupsOnly, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        return super().register(model_or_iterable, admin_class, **options)


class BackOfficeConfig(AdminConfig):
    """django.contrib.admin, with `BackOfficeSite` as `admin.site`."""

    default_site = "allin_portal.backoffice.BackOfficeSite"
