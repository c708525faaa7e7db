"""Back up and restore the portal: the database (pg_dump's custom format) and the two file
trees (public media: photos and logos; private files: resource PDFs).

A backup is one folder:

    database.dump   pg_dump -Fc (restore with pg_restore; any table can be restored alone)
    media.tar.gz    MEDIA_ROOT
    private.tar.gz  PRIVATE_MEDIA_ROOT
    manifest.json   when, from which database, how many files

`manage.py backup` writes one (`make backup`), `manage.py restore FOLDER --yes` puts one back
(`make restore BACKUP=FOLDER`), into the configured database or another (`--database-url`),
which is created when missing.
"""

import datetime
import json
import shutil
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import quote

from allin_portal.devdb import ensure_database, pg_bin

DUMP = "database.dump"
TREES = {"media": "media.tar.gz", "private": "private.tar.gz"}


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


def create(*, database_url, media_root, private_root, folder):
    """Write a backup into `folder` (created; must be empty). Returns the manifest."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    _run([_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={folder / DUMP}", f"--dbname={database_url}"])  # fmt: skip
    counts = {}
    for name, root in (("media", media_root), ("private", private_root)):
        root = Path(root)
        with tarfile.open(folder / TREES[name], "w:gz") as archive:
            files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
            for path in files:
                archive.add(path, arcname=str(path.relative_to(root)))
        counts[name] = len(files)
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database_url.rsplit("/", 1)[-1],
        "files": counts,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def restore(*, folder, database_url, media_root, private_root):
    """Put a backup back: the database (created when missing; existing tables replaced)
    and the files (added to, or replacing files of the same name in, the two roots)."""
    folder = Path(folder)
    for needed in [DUMP, *TREES.values()]:
        if not (folder / needed).is_file():
            raise BackupError(f"{folder / needed} is missing: not a backup folder")
    ensure_database(database_url)
    _run([_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", f"--dbname={database_url}", str(folder / DUMP)])  # fmt: skip
    for name, root in (("media", media_root), ("private", private_root)):
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / TREES[name]) as archive:
            # "data": no absolute paths, no "..", no links out, no device files.
            archive.extractall(root, filter="data")
    return json.loads((folder / "manifest.json").read_text())
