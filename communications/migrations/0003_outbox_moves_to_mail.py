"""The outbox and the preferences leave communications (state only: tables kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('communications', '0002_announcement_readers'),
    ]

    operations = [
        # The outbox and the preferences move to mail, which takes their tables over: here
        # they leave the state only, and no table is dropped.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='message',
                    name='announcement',
                ),
                migrations.RemoveField(
                    model_name='message',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='Subscription',
                ),
                migrations.DeleteModel(
                    name='Message',
                ),
            ],
        ),
    ]
