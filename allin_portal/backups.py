"""Back up and restore the portal: the database (pg_dump's custom format), the stored files
(public media: photos and logos; private files: resource PDFs, waiting imports) from whichever
storage is configured (folders or an S3 bucket), and the secret key.

A backup is one folder, readable by its owner only (0700, files 0600):

    database.dump   pg_dump -Fc (restore with pg_restore; any table can be restored alone)
    media.tar.gz    the public storage (storages["default"])
    private.tar.gz  the private storage (storages["private"])
    secret_key      SECRET_KEY: emailed guest, invitation and unsubscribe links and sessions
                    are signed with it, so a new server needs the same key
    secret_key_fallbacks  SECRET_KEY_FALLBACKS, one per line (only when some are set)
    manifest.json   when, from which database, how many files

`manage.py backup` writes one (`make backup`), `manage.py restore FOLDER --yes` puts one back
(`make restore BACKUP=FOLDER`), into the configured database or another (`--database-url`),
which is created when missing, and into the configured storage (a new bucket or folders work).
The restore never changes the running configuration: it says when the key differs, and
`--secret-key-file` writes the backup's key where the server reads it.
"""

import datetime
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.core.files import File

from allin_portal.devdb import ensure_database, pg_bin
from core.media import walk

DUMP = "database.dump"
TREES = {"media": "media.tar.gz", "private": "private.tar.gz"}
KEY_FILE = "secret_key"
FALLBACKS_FILE = "secret_key_fallbacks"


class BackupError(Exception):
    pass


def url_of(settings_dict):
    """A libpq URL for Django's connection settings."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = (
        f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    )
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def _run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
    return result


def _program(name):
    found = shutil.which(name)
    if found:
        return found
    try:
        return pg_bin(name)
    except (OSError, subprocess.CalledProcessError):
        raise BackupError(f"{name} not found: install PostgreSQL's client programs") from None


def _archive(storage, path):
    """Every file of a storage into a tar.gz, read through the storage's API. The count."""
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        for name in walk(storage):
            with storage.open(name, "rb") as file:
                info = tarfile.TarInfo(name)
                info.size = storage.size(name)
                info.mtime = int(storage.get_modified_time(name).timestamp())
                info.mode = 0o600
                archive.addfile(info, file)
            count += 1
    return count


def create(*, database_url, storages, secret_key, secret_key_fallbacks=(), folder):
    """Write a backup into `folder` (created; must be empty). `storages`: {"media": storage,
    "private": storage}. Returns the manifest."""
    folder = Path(folder)
    previous = os.umask(0o077)  # everything written below: owner only
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty")
        folder.chmod(0o700)
        _run([_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={folder / DUMP}", f"--dbname={database_url}"])  # fmt: skip
        counts = {name: _archive(storages[name], folder / TREES[name]) for name in TREES}
        (folder / KEY_FILE).write_text(secret_key + "\n")
        if secret_key_fallbacks:
            (folder / FALLBACKS_FILE).write_text("\n".join(secret_key_fallbacks) + "\n")
        manifest = {
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": database_url.rsplit("/", 1)[-1],
            "files": counts,
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        for path in folder.iterdir():
            path.chmod(0o600)
    finally:
        os.umask(previous)
    return manifest


def _put_back(storage, path):
    """The files of a tar.gz into a storage, under the same names (replacing those there)."""
    with tarfile.open(path) as archive:
        for member in archive:
            name = PurePosixPath(member.name)
            if not member.isfile() or name.is_absolute() or ".." in name.parts:
                continue  # a backup holds plain files with relative names only
            if storage.exists(member.name):
                storage.delete(member.name)
            saved = storage.save(member.name, File(archive.extractfile(member)))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}")


def secret_keys(folder):
    """(SECRET_KEY, [fallbacks]) kept in a backup; (None, []) for a backup made without."""
    folder = Path(folder)
    key = folder / KEY_FILE
    fallbacks = folder / FALLBACKS_FILE
    return (
        key.read_text().strip() if key.is_file() else None,
        fallbacks.read_text().split() if fallbacks.is_file() else [],
    )


def restore(*, folder, database_url, storages):
    """Put a backup back: the database (created when missing; existing tables replaced)
    and the files (added to, or replacing files of the same name in, the two storages)."""
    folder = Path(folder)
    for needed in [DUMP, *TREES.values()]:
        if not (folder / needed).is_file():
            raise BackupError(f"{folder / needed} is missing: not a backup folder")
    ensure_database(database_url)
    _run([_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", f"--dbname={database_url}", str(folder / DUMP)])  # fmt: skip
    for name, archive in TREES.items():
        _put_back(storages[name], folder / archive)
    return json.loads((folder / "manifest.json").read_text())
