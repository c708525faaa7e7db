"""Back up the database, the stored files and the secret key into one folder (see
allin_portal/backups.py).

python manage.py backup [--output var/backups/2030-01-01T10-00-00]
"""

import datetime

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from allin_portal import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc), the public and private files (folders or bucket) "
        "and the secret key into a folder readable by its owner only."
    )

    def add_arguments(self, parser):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H-%M-%S")
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "var" / "backups" / stamp),
            help="folder to write (created; must be empty). Default: var/backups/<UTC time>",
        )

    def handle(self, *args, output, **options):
        try:
            manifest = backups.create(
                database_url=backups.url_of(connection.settings_dict),
                storages={"media": storages["default"], "private": storages["private"]},
                secret_key=settings.SECRET_KEY,
                secret_key_fallbacks=settings.SECRET_KEY_FALLBACKS,
                folder=output,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        files = manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: database {manifest['database']}, "
                f"{files['media']} public and {files['private']} private files, the secret key."
            )
        )
