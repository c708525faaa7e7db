"""Restore a backup folder written by `manage.py backup` (see allin_portal/backups.py).

python manage.py restore var/backups/2030-01-01T10-00-00 --yes
python manage.py restore FOLDER --database-url postgres://.../allin_copy --yes
python manage.py restore FOLDER --secret-key-file var/secret_key --yes
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from allin_portal import backups


class Command(BaseCommand):
    help = (
        "Restore a backup: replaces the database's tables and puts the files back into the "
        "configured storage (folders or bucket)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument(
            "--database-url", help="restore into this database (created when missing)"
        )
        parser.add_argument("--media-root", help="public files into this folder instead")
        parser.add_argument("--private-root", help="private files into this folder instead")
        parser.add_argument(
            "--secret-key-file",
            help="write the backup's SECRET_KEY into this file (0600), e.g. var/secret_key",
        )
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the target's tables are replaced"
        )

    def handle(self, *args, folder, database_url, media_root, private_root, secret_key_file,
               yes, **options):  # fmt: skip
        database_url = database_url or backups.url_of(connection.settings_dict)
        if not yes:
            raise CommandError(
                f"This replaces every table of {database_url.rsplit('/', 1)[-1]} and the "
                "files of the same names. Run again with --yes to go ahead."
            )
        connection.close()  # pg_restore must be able to replace the tables
        targets = {
            "media": FileSystemStorage(location=media_root) if media_root else storages["default"],
            "private": (
                FileSystemStorage(location=private_root) if private_root else storages["private"]
            ),
        }
        try:
            manifest = backups.restore(folder=folder, database_url=database_url, storages=targets)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} into "
                f"{database_url.rsplit('/', 1)[-1]}."
            )
        )
        key, fallbacks = backups.secret_keys(folder)
        if key is None:
            self.stdout.write(self.style.WARNING("This backup holds no secret key (made before)."))
        elif secret_key_file:
            path = Path(secret_key_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(key + "\n")
            os.chmod(path, 0o600)
            self.stdout.write(f"The backup's SECRET_KEY is now in {path}: restart the services.")
        elif key != settings.SECRET_KEY:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup was made with another SECRET_KEY: set SECRET_KEY to the content "
                    f"of {Path(folder) / backups.KEY_FILE} (and SECRET_KEY_FALLBACKS to "
                    "those it lists, if any) and restart, or emailed links and sessions stop "
                    "working."
                )
            )
        if fallbacks and secret_key_file:
            self.stdout.write(
                f"Set SECRET_KEY_FALLBACKS too: {Path(folder) / backups.FALLBACKS_FILE}."
            )
