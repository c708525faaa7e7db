"""The outbox and the preferences move from communications to mail: same tables (renamed), same rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models



MODELS = ['subscription', 'message']


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "communications", "mail")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "mail", "communications")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('communications', '0003_outbox_moves_to_mail'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (created by communications's migrations): take them over in the
        # state only, then rename them to this app's names, then let the content types
        # (permissions, admin log) follow.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Subscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='email address')),
                        ('kind', models.CharField(choices=[('transactional', 'Account and registration emails'), ('announcement', 'Announcements from the network'), ('event_news', 'Event news (reminders, follow-ups, messages from event staff)'), ('digest', 'Weekly digest of new resources and case studies')], max_length=20, verbose_name='kind')),
                        ('subscribed', models.BooleanField(verbose_name='receives')),
                        ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='changed')),
                    ],
                    options={
                        'db_table': 'communications_subscription',
                        'verbose_name': 'email preference',
                        'verbose_name_plural': 'email preferences',
                        'constraints': [models.UniqueConstraint(fields=('email', 'kind'), name='subscription_one_per_kind'), models.CheckConstraint(condition=models.Q(('kind', 'transactional'), _negated=True), name='subscription_not_transactional')],
                    },
                ),
                migrations.CreateModel(
                    name='Message',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('transactional', 'Account and registration emails'), ('announcement', 'Announcements from the network'), ('event_news', 'Event news (reminders, follow-ups, messages from event staff)'), ('digest', 'Weekly digest of new resources and case studies')], max_length=20, verbose_name='kind')),
                        ('to', models.EmailField(max_length=254, verbose_name='to')),
                        ('template', models.CharField(max_length=100, verbose_name='template')),
                        ('language', models.CharField(max_length=8, verbose_name='language')),
                        ('subject', models.CharField(max_length=300, verbose_name='subject')),
                        ('body', models.TextField(verbose_name='text')),
                        ('html', models.TextField(blank=True, verbose_name='HTML')),
                        ('reply_to', models.EmailField(blank=True, max_length=254, verbose_name='reply to')),
                        ('headers', models.JSONField(blank=True, default=dict, verbose_name='extra headers')),
                        ('attachments', models.JSONField(blank=True, default=list, verbose_name='attachments')),
                        ('dedupe_key', models.CharField(blank=True, max_length=200, null=True, unique=True)),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('cancelled', 'Cancelled (unsubscribed)')], default='queued', max_length=20, verbose_name='state')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='queued')),
                        ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='next attempt')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='sending since')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('announcement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='communications.announcement', verbose_name='announcement')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ],
                    options={
                        'db_table': 'communications_message',
                        'verbose_name': 'email',
                        'verbose_name_plural': 'outbox',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['state', 'claimed_at'], name='message_state_claimed_idx'), models.Index(fields=['announcement', 'state'], name='message_announcement_idx')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='subscription', table=None),
        migrations.AlterModelTable(name='message', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
