"""Choices among records that grow into the thousands are searchable in the back office
(autocomplete), never a dropdown of every record."""

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from events.models import Event
from members.models import Member, Organization, Program, User
from resources.models import Resource

# Models with thousands of rows on the demo data.
GROWING = {User, Member, Organization, Program, Resource, Event}


def admins_and_inlines():
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True)
    for model_admin in admin.site._registry.values():
        yield model_admin
        yield from model_admin.get_inline_instances(request)


def test_every_choice_of_a_growing_table_is_searchable():
    plain = []
    for model_admin in admins_and_inlines():
        searchable = set(model_admin.autocomplete_fields) | set(model_admin.raw_id_fields)
        fixed = set(model_admin.readonly_fields) | set(model_admin.exclude or ())
        for field in model_admin.model._meta.get_fields():
            if not (field.is_relation and not field.auto_created and field.editable):
                continue
            if getattr(model_admin, "parent_model", None) is field.related_model:
                continue  # an inline's link to the record it is shown in
            if field.related_model in GROWING and field.name not in searchable | fixed:
                plain.append(f"{model_admin.model._meta.label}.{field.name}")
    assert plain == []


def test_the_program_autocomplete_answers_a_search(admin_client, db):
    organization = Organization.objects.create(name="Escola", slug="escola")
    for n in range(30):
        Program.objects.create(organization=organization, name=f"Program {n:02d}", slug=f"p-{n}")
    Program.objects.create(organization=organization, name="Coaching principals", slug="coach")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "coach",
            "app_label": "resources",
            "model_name": "casestudy",
            "field_name": "program",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Coaching principals"]
