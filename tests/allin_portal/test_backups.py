"""`manage.py backup` and `restore`: a dump restored into a fresh database, with the files,
serves the same pages."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from allin_portal.backups import url_of
from members.models import Member
from resources.models import Resource
from tests.helpers import make_user

BASE_DIR = Path(__file__).resolve().parents[2]

# Fetch pages in a separate process, configured by the environment like `make run`.
FETCH = """
import hashlib, json, sys
import django
django.setup()
from django.test import Client
client = Client()
out = {}
for url in sys.argv[1:]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    out[url] = [response.status_code, hashlib.sha256(body).hexdigest(), len(body)]
print(json.dumps(out))
"""


def fetch(urls, *, database_url, media_root, private_root):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "PRIVATE_MEDIA_ROOT": str(private_root),
    }
    result = subprocess.run(
        [sys.executable, "-c", FETCH, *urls],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def fresh_database():
    url = url_of({**connection.settings_dict, "NAME": connection.settings_dict["NAME"] + "_copy"})
    yield url
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        name = url.rsplit("/", 1)[1]
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    admin.close()


def test_a_restored_backup_serves_the_same_pages(
    transactional_db, settings, tmp_path, fresh_database
):
    from tests.helpers import image_file, make_resource, pdf_upload

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = make_user("efua@example.org", "Members")
    member = Member.objects.create(
        user=user,
        name="Efua Owusu",
        slug="efua-owusu",
        country="GH",
        status=Member.Status.APPROVED,
        visibility=Member.Visibility.PUBLIC,
    )
    member.photo.save("efua.jpg", image_file())
    member.refresh_search_text()
    resource = make_resource(
        "Leading learning in Ghana", abstract="Coaching.", upload=pdf_upload("the text")
    )
    assert resource.access == Resource.Access.PUBLIC
    urls = [
        "/",
        "/members/",
        "/members/?q=efua",
        member.get_absolute_url(),
        member.photo.url,
        "/resources/",
        "/resources/?q=ghana",
        resource.get_absolute_url(),
        resource.get_download_url(),
        "/events/",
        "/organizations/",
    ]

    backup = tmp_path / "backup"
    call_command("backup", output=str(backup))
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
        "private.tar.gz",
    ]
    assert json.loads((backup / "manifest.json").read_text())["files"] == {"media": 1, "private": 1}

    original = fetch(
        urls,
        database_url=url_of(connection.settings_dict),
        media_root=settings.MEDIA_ROOT,
        private_root=settings.PRIVATE_MEDIA_ROOT,
    )
    assert all(status == 200 for status, _, _ in original.values()), original

    restored_media, restored_private = tmp_path / "r-media", tmp_path / "r-private"
    for _ in range(2):  # restoring twice replaces, it does not fail or duplicate
        call_command(
            "restore",
            str(backup),
            database_url=fresh_database,
            media_root=str(restored_media),
            private_root=str(restored_private),
            yes=True,
        )
    restored = fetch(
        urls,
        database_url=fresh_database,
        media_root=restored_media,
        private_root=restored_private,
    )
    assert restored == original
    photo = restored_media / member.photo.name
    assert hashlib.sha256(photo.read_bytes()).hexdigest() == original[member.photo.url][1]


def test_restore_asks_for_confirmation_and_checks_the_folder(db, tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path), yes=True)


def test_backup_refuses_a_folder_in_use(db, tmp_path):
    (tmp_path / "something").write_text("kept")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=str(tmp_path))
    assert (tmp_path / "something").read_text() == "kept"
