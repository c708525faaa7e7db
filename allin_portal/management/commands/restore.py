"""Restore a backup folder written by `manage.py backup` (see allin_portal/backups.py).

python manage.py restore var/backups/2030-01-01T10-00-00 --yes
python manage.py restore FOLDER --database-url postgres://.../allin_copy --yes
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from allin_portal import backups


class Command(BaseCommand):
    help = "Restore a backup: replaces the database's tables and puts the files back."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument(
            "--database-url", help="restore into this database (created when missing)"
        )
        parser.add_argument("--media-root", help="default: MEDIA_ROOT")
        parser.add_argument("--private-root", help="default: PRIVATE_MEDIA_ROOT")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the target's tables are replaced"
        )

    def handle(self, *args, folder, database_url, media_root, private_root, yes, **options):
        database_url = database_url or backups.url_of(connection.settings_dict)
        if not yes:
            raise CommandError(
                f"This replaces every table of {database_url.rsplit('/', 1)[-1]} and the "
                "files of the same names. Run again with --yes to go ahead."
            )
        connection.close()  # pg_restore must be able to replace the tables
        try:
            manifest = backups.restore(
                folder=folder,
                database_url=database_url,
                media_root=media_root or settings.MEDIA_ROOT,
                private_root=private_root or settings.PRIVATE_MEDIA_ROOT,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} into "
                f"{database_url.rsplit('/', 1)[-1]}."
            )
        )
