"""Mail settings from the environment, and the production check of sender and site address."""

import pytest

from tests.allin_portal.test_health_and_settings import PRODUCTION, run_manage

SHOW = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_USE_SSL, s.EMAIL_USE_TLS, s.SECRET_KEY_FALLBACKS)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"EMAIL_PORT": "465"}, "True False []"),
        ({"EMAIL_PORT": "587"}, "False True []"),
        ({"EMAIL_PORT": "2465", "EMAIL_USE_SSL": "true"}, "True False []"),
        ({"SECRET_KEY_FALLBACKS": "old-key-1, old-key-2"}, "False True ['old-key-1', 'old-key-2']"),
    ],
)
def test_mail_and_key_settings_from_the_environment(env, expected):
    result = run_manage("shell", "-c", SHOW, SECRET_KEY="x", EMAIL_HOST="smtp.example.org", **env)
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_ssl_and_starttls_together_fail_loudly():
    result = run_manage(
        "check",
        SECRET_KEY="x",
        EMAIL_HOST="smtp.example.org",
        EMAIL_USE_SSL="true",
        EMAIL_USE_TLS="true",
    )
    assert result.returncode != 0 and "EMAIL_USE_SSL" in result.stderr


def test_an_old_key_still_opens_links_after_rotation():
    script = (
        "from django.core import signing; "
        "print(signing.loads(signing.dumps('guest-link', key='old-key'), key=None))"
    )
    rotated = run_manage(
        "shell", "-c", script, SECRET_KEY="new-key", SECRET_KEY_FALLBACKS="old-key"
    )
    assert rotated.stdout.strip().splitlines()[-1] == "guest-link", rotated.stderr
    forgotten = run_manage("shell", "-c", script, SECRET_KEY="new-key")
    assert "BadSignature" in forgotten.stderr


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"DEFAULT_FROM_EMAIL": "ALL-IN <noreply@localhost>"}, "allin_portal.E001"),
        ({"DEFAULT_FROM_EMAIL": "noreply@LOCALHOST"}, "allin_portal.E001"),
        ({"DEFAULT_FROM_EMAIL": ""}, "allin_portal.E001"),
        ({"SITE_URL": "http://127.0.0.1:8000"}, "allin_portal.E002"),
        ({"SITE_URL": ""}, "allin_portal.E002"),
    ],
)
def test_check_deploy_refuses_a_local_sender_or_site_address(db, env, error):
    result = run_manage("check", "--deploy", **{**PRODUCTION, **env})
    assert result.returncode != 0
    assert error in result.stderr


def test_defaults_are_refused_in_production(db):
    env = {k: v for k, v in PRODUCTION.items() if k not in ("DEFAULT_FROM_EMAIL", "SITE_URL")}
    result = run_manage("check", "--deploy", **env)
    assert "allin_portal.E001" in result.stderr and "allin_portal.E002" in result.stderr
