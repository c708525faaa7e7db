"""The shared data cache: complete keys, a bump on commit, and two servers that agree."""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import datacache, dbcache
from members.models import Member
from tests.helpers import free_port, make_member, make_user

BASE_DIR = Path(__file__).resolve().parents[2]
# Redis must answer here (`make test` starts one on 6379): the two-server test fails, never
# skips, without it. TEST_REDIS_URL points the test at another Redis. The servers write under
# a key prefix of this run only, and only those keys are deleted: other runs and other
# pytest-xdist workers share the database safely.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_entries_are_keyed_by_language_and_parts(db):
    compute, calls = counter()
    with translation.override("en"):
        assert datacache.cached(["members"], ("x", "public", (("country", "GH"),)), compute) == 1
        assert datacache.cached(["members"], ("x", "public", (("country", "GH"),)), compute) == 1
        assert datacache.cached(["members"], ("x", "members", (("country", "GH"),)), compute) == 2
        assert datacache.cached(["members"], ("x", "public", (("country", "FR"),)), compute) == 3
    with translation.override("fr"):
        assert datacache.cached(["members"], ("x", "public", (("country", "GH"),)), compute) == 4
    assert len(calls) == 4


def test_invalidate_bumps_only_its_namespace(db):
    compute, calls = counter()
    datacache.cached(["members"], ("a",), compute)
    datacache.cached(["events"], ("a",), compute)
    datacache.invalidate("events")
    assert datacache.cached(["members"], ("a",), compute) == 1
    assert datacache.cached(["events"], ("a",), compute) == 3
    with pytest.raises(ValueError):
        datacache.invalidate("member")  # a typo would silently never invalidate


def test_the_bump_is_repeated_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    compute, calls = counter()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        datacache.invalidate("resources")
        # The writing transaction reads its own writes (kept in the transaction)...
        assert datacache.cached(["resources"], ("a",), compute) == 1
    for callback in callbacks:
        callback()
    # ...and the bump at commit time makes everyone compute afresh.
    assert datacache.cached(["resources"], ("a",), compute) == 2


def test_directory_counts_are_keyed_by_access_level(client, member_user, db):
    make_member("p@example.org", "Pia Public", country="FR")
    make_member("m@example.org", "Max Members", country="GH", visibility=Member.Visibility.MEMBERS)
    members = Client()
    members.force_login(member_user)
    assert members.get(reverse("members:list")).context["counts"]["total"] == 3
    assert client.get(reverse("members:list")).context["counts"]["total"] == 1
    filtered = client.get(reverse("members:list"), {"country": "GH"})
    assert filtered.context["counts"]["total"] == 0


def test_library_counts_follow_the_language(client, db):
    from tests.resources.test_search import make_resource

    make_resource("Equity in Ghana", slug="equity-ghana", countries=["GH"])
    english = client.get(reverse("resources:list"), HTTP_ACCEPT_LANGUAGE="en")
    labels = {o["label"] for g in english.context["facets"] for o in g["options"]}
    assert "Ghana" in labels
    with translation.override("fr"):
        french = client.get(reverse("resources:list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert french.context["total"] == english.context["total"] == 1


def test_an_admin_save_bumps_its_app(network_admin_client, db):
    compute, calls = counter()
    datacache.cached(["members"], ("a",), compute)
    datacache.cached(["events"], ("a",), compute)
    applicant = make_member("n@example.org", "Nadia Applicant", status=Member.Status.APPLIED)
    response = network_admin_client.post(
        reverse("admin:members_member_changelist"),
        {"action": "approve_selected", "_selected_action": [applicant.pk]},
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=applicant.pk).status == Member.Status.APPROVED
    assert datacache.cached(["members"], ("a",), compute) == 3  # recomputed
    assert datacache.cached(["events"], ("a",), compute) == 2  # untouched


# Two servers, one database and one shared cache ------------------------------------------


def redis_available():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means no usable Redis
        return False


def start_gunicorn(port, cache_url, key_prefix):
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": cache_url,
        "TEST_CACHE_KEY_PREFIX": key_prefix,
        "DB_CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "allin_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )


def get(port, path, cookie=""):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local
        return response.status, response.read().decode()


def wait_until_up(port):
    for _ in range(120):
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except urllib.error.HTTPError:
            return  # it answers (503: no task worker in this test)
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"gunicorn on port {port} did not start")


def session_cookie(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "members.backends.PermissionsInOneQueryBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def summary(html):
    return re.search(r'<p class="summary" role="status">([^<·]*)', html).group(1).strip()


@pytest.mark.parametrize("shared_cache", ["redis", "database"])
def test_an_edit_through_one_server_shows_through_the_other(transactional_db, shared_cache):
    if shared_cache == "redis":
        assert redis_available(), f"Redis does not answer at {REDIS_URL}: start it (CI has one)"
    from django.core.cache import cache

    cache.clear()
    import redis

    key_prefix = f"allin-test-{secrets.token_hex(8)}"  # a fresh, empty corner of Redis
    make_member("p@example.org", "Pia Public", country="FR")
    applicant = make_member(
        "n@example.org", "Nadia Applicant", country="MA", status=Member.Status.APPLIED
    )
    admin = make_user("boss@example.org", "Network admins", is_staff=True)
    cookie = session_cookie(admin)
    ports = (free_port(), free_port())
    cache_url = REDIS_URL if shared_cache == "redis" else ""
    servers = [start_gunicorn(port, cache_url, key_prefix) for port in ports]
    try:
        for port in ports:
            wait_until_up(port)
        first, second = ports
        for port in ports:  # both fill the shared cache (and their own workers' memory, if any)
            for _ in range(3):
                line = summary(get(port, "/members/")[1])
                assert line.startswith("1 member listed from 1 country")
        token = secrets.token_hex(16)  # an unmasked CSRF secret, as cookie and field
        data = urllib.parse.urlencode(
            {
                "action": "approve_selected",
                "_selected_action": applicant.pk,
                "csrfmiddlewaretoken": token,
            }
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{first}/admin/members/member/",
            data=data,
            headers={
                "Cookie": f"{cookie}; csrftoken={token}",
                "Referer": f"http://127.0.0.1:{first}/admin/members/member/",
            },
        )

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        try:
            urllib.request.build_opener(NoRedirect).open(request, timeout=10)  # noqa: S310
        except urllib.error.HTTPError as answer:
            assert answer.code == 302, answer.read().decode()[:500]
        assert Member.objects.get(pk=applicant.pk).status == Member.Status.APPROVED
        for _ in range(3):  # every worker of the other server, at its next request
            status, html = get(second, "/members/")
            assert status == 200
            assert summary(html).startswith("2 members listed from 2 countries")
            assert "Nadia Applicant" in html
        if shared_cache == "redis":  # the servers wrote under this run's prefix
            assert any(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{key_prefix}:*"))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)
        cache.clear()
        if shared_cache == "redis":  # this run's keys only: others may share the database
            shared = redis.Redis.from_url(REDIS_URL)
            for key in shared.scan_iter(match=f"{key_prefix}:*"):
                shared.delete(key)


@pytest.mark.parametrize("culls", [False, True])
def test_a_cache_set_is_one_statement_and_the_cull_removes_only_expired_rows(
    db, monkeypatch, culls
):
    """The database cache's set is one statement whether or not it culls, so a page's
    query count never varies with the dice (CI once failed on exactly that)."""
    shared = dbcache.DatabaseCache("allin_cache", {})
    for key, value in [("stale", "old"), ("fresh", "kept"), ("written", "before")]:
        shared.set(key, value, 600)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE allin_cache SET expires = now() - interval '1 hour' "
            "WHERE cache_key LIKE '%%:stale' OR cache_key LIKE '%%:written'"
        )
    monkeypatch.setattr(dbcache.random, "randrange", lambda n: 0 if culls else 1)
    with CaptureQueriesContext(connection) as queries:
        shared.set("written", "after", 600)
    assert len(queries) == 1
    assert shared.get("written") == "after"
    assert shared.get("fresh") == "kept"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM allin_cache WHERE cache_key LIKE '%%:stale'")
        assert cursor.fetchone()[0] == (0 if culls else 1)
