"""`manage.py backup` and `restore`: a dump restored into a fresh database, with the files,
serves the same pages."""

import hashlib
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

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


def fetch(urls, *, database_url, media_root=None, private_root=None, **env):
    """Status, SHA-256 and length of each URL, from a process configured by `env`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
        **({"MEDIA_ROOT": str(media_root)} if media_root else {}),
        **({"PRIVATE_MEDIA_ROOT": str(private_root)} if private_root else {}),
        **env,
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


@pytest.fixture(autouse=True)
def no_cache_left_behind(django_db_blocker):
    """The pages fetched here fill the database cache table, which a transactional test's
    flush does not empty (no model owns it): later tests would read this test's counts."""
    yield
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()


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
        "secret_key",
    ]
    # Readable by their owner only: the dump holds every account, the key signs every link.
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in backup.iterdir()} == {0o600}
    assert (backup / "secret_key").read_text().strip() == settings.SECRET_KEY
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


def test_restore_drill_a_new_server_a_new_bucket_and_an_emailed_guest_link_still_works(
    transactional_db, client, settings, tmp_path, fresh_database, s3_server, s3_bucket,
    s3_storage,
):  # fmt: skip
    """Back up a portal whose files are in a bucket, restore into a new database and a new
    bucket with the backup's key (what a new server does), and follow a guest's link and an
    unsubscribe link emailed before the backup. With another key, the signed unsubscribe link
    opens nothing: the key must travel with the backup."""
    from django.core import mail

    from allin_portal.settings import s3_storages
    from events.models import Event
    from mail import outbox
    from mail.models import Kind
    from tests.helpers import S3_CREDENTIALS, image_file, make_event, make_resource, pdf_upload

    settings.SITE_URL = "http://testserver"
    settings.SECRET_KEY = "the-first-servers-key-" + "k" * 40
    event = make_event(registration_policy=Event.RegistrationPolicy.ANYONE)
    response = client.post(
        f"/events/{event.slug}/register/",
        {"name": "Layla Haddad", "email": "layla@example.net", "organization": "Ministry",
         "country": "JO", "role": "policymaker"},
    )  # fmt: skip
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/\S+/registration/\S+/)", message.body).group(1)
    member = Member.objects.create(
        user=make_user("efua@example.org", "Members"), name="Efua Owusu", slug="efua-owusu",
        country="GH", status=Member.Status.APPROVED, visibility=Member.Visibility.PUBLIC,
    )  # fmt: skip
    member.photo.save("efua.jpg", image_file())
    resource = make_resource("Leading learning", abstract="A.", upload=pdf_upload("the text"))
    # An announcement's unsubscribe link is signed with SECRET_KEY itself.
    unsubscribe = urlsplit(outbox.unsubscribe_url("layla@example.net", Kind.ANNOUNCEMENT)).path
    urls = [link, unsubscribe, member.photo.url, resource.get_download_url()]

    backup = tmp_path / "backup"
    call_command("backup", output=str(backup))
    assert json.loads((backup / "manifest.json").read_text())["files"] == {"media": 1, "private": 1}

    new_bucket = s3_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(bucket=new_bucket, endpoint_url=s3_server, **S3_CREDENTIALS),
    }
    key_file = tmp_path / "new-server" / "secret_key"
    call_command(
        "restore", str(backup), database_url=fresh_database, secret_key_file=str(key_file),
        yes=True,
    )  # fmt: skip
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    new_server = {
        "S3_BUCKET": new_bucket,
        "S3_ENDPOINT_URL": s3_server,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_REGION": "us-east-1",
    }
    restored = fetch(
        urls, database_url=fresh_database, SECRET_KEY=key_file.read_text().strip(), **new_server
    )
    assert [status for status, _, _ in restored.values()] == [200, 200, 200, 200], restored
    before = fetch(
        urls[2:],
        database_url=url_of(connection.settings_dict),
        SECRET_KEY=settings.SECRET_KEY,
        **{**new_server, "S3_BUCKET": s3_storage},
    )
    assert {url: restored[url] for url in urls[2:]} == before  # the same photo and PDF
    other_key = fetch(urls, database_url=fresh_database, SECRET_KEY="another-key", **new_server)
    assert other_key[unsubscribe][0] == 404
