"""The site content, the pathways and the import jobs left allin_portal with their rows:
a database at the schema before the move keeps its data, permissions and admin history."""

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from imports.models import ImportJob
from members.roles import sync_groups
from pages.models import ContentBlock, JourneyStage, ReadingListItem
from resources.models import Pathway, Resource

BEFORE = [
    ("allin_portal", "0005_translated_site_text"),
    ("resources", "0010_newest_published_index"),
    ("pages", None),
    ("imports", None),
]


def migrate(targets=None):
    """Migrate to these nodes (every app's last one when None); the models as then applied."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    applied = MigrationExecutor(connection)
    return applied._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_rows_follow_the_models_to_their_new_apps():
    old = migrate(BEFORE)
    User = old.get_model("members", "User")
    Event = old.get_model("events", "Event")
    block = old.get_model("allin_portal", "ContentBlock").objects.create(
        key="home-intro", title="Hello", title_en="Hello", body="Body", body_fr="Corps"
    )
    old.get_model("allin_portal", "Pathway").objects.create(
        key="research", name="Research", name_fr="Recherche", title="T", goal="g", actions="a"
    )
    resource = old.get_model("resources", "Resource").objects.create(
        title="A report", slug="a-report", pathway="research"
    )
    reading_list = old.get_model("allin_portal", "ReadingList").objects.create(
        key="more", title="More"
    )
    old.get_model("allin_portal", "ReadingListItem").objects.create(
        reading_list=reading_list, resource=resource
    )
    user = User.objects.create(email="a@example.org")
    old.get_model("allin_portal", "ImportJob").objects.create(
        kind="members", title="Members", created_by=user
    )
    stage = old.get_model("allin_portal", "JourneyStage").objects.create(
        key="scene", name="Setting the scene"
    )
    event = Event.objects.create(
        title="Accra",
        slug="accra",
        series="summit",
        format="in_person",
        starts_at="2024-01-01T09:00:00Z",
        ends_at="2024-01-01T17:00:00Z",
    )
    stage.events.add(event)
    OldContentType = old.get_model("contenttypes", "ContentType")
    block_type, _ = OldContentType.objects.get_or_create(
        app_label="allin_portal", model="contentblock"
    )
    old.get_model("admin", "LogEntry").objects.create(
        user=user,
        content_type=block_type,
        object_id=str(block.pk),
        object_repr="Hello",
        action_flag=2,
    )

    migrate()

    moved = ContentBlock.objects.get(key="home-intro")
    assert (moved.title, moved.body_fr) == ("Hello", "Corps")
    pathway = Pathway.objects.get(key="research")
    assert pathway.name_fr == "Recherche"
    assert Resource.objects.get(pathway=pathway.key).title == "A report"
    assert ReadingListItem.objects.get().resource.title == "A report"
    assert ImportJob.objects.get().created_by.email == "a@example.org"
    assert list(JourneyStage.objects.get().events.values_list("slug", flat=True)) == ["accra"]
    # The admin history and the permissions point at the new apps.
    assert LogEntry.objects.get().get_edited_object() == moved
    assert ContentType.objects.get_for_model(ContentBlock).pk == block_type.pk
    assert not ContentType.objects.filter(app_label="allin_portal").exists()
    sync_groups(django_apps)
    admins = Group.objects.get(name="Network admins").permissions
    assert admins.filter(content_type__app_label="pages", codename="change_contentblock").exists()
