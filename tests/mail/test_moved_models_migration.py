"""The outbox and the preferences left communications for mail with their rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from communications.models import Announcement
from mail.models import Message, Subscription

BEFORE = [("communications", "0002_announcement_readers"), ("mail", None)]


def migrate(targets=None):
    """Migrate to these nodes (every app's last one when None); the models as then applied."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    applied = MigrationExecutor(connection)
    return applied._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_messages_and_preferences_follow_the_models_to_mail():
    old = migrate(BEFORE)
    user = old.get_model("members", "User").objects.create(email="a@example.org")
    announcement = old.get_model("communications", "Announcement").objects.create(
        subject="News", body="Body"
    )
    old.get_model("communications", "Message").objects.create(
        kind="announcement",
        to="a@example.org",
        user=user,
        template="announcement",
        language="en",
        subject="News",
        body="Body",
        announcement=announcement,
    )
    old.get_model("communications", "Subscription").objects.create(
        email="a@example.org", kind="digest", subscribed=True
    )
    message_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="communications", model="message"
    )

    migrate()

    message = Message.objects.get()
    assert (message.to, message.user.email, message.subject) == (
        "a@example.org",
        "a@example.org",
        "News",
    )
    assert list(Announcement.objects.get().messages.all()) == [message]
    assert Subscription.objects.get(email="a@example.org").subscribed
    assert ContentType.objects.get_for_model(Message).pk == message_type.pk
