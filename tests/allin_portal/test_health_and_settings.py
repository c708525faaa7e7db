import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "allin_portal.settings", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "production-grade-secret-key-for-the-check-only-0123456789",
    "DEBUG": "false",
    "HTTPS": "true",
    "ALLOWED_HOSTS": "all-in.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://all-in.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "ALL-IN <secretariat@all-in.example.org>",
    "SITE_URL": "https://all-in.example.org",
}


def test_check_deploy_is_clean_with_production_settings(db):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_email_is_not_configured(db):
    result = run_manage("check", "--deploy", **{**PRODUCTION, "EMAIL_HOST": ""})
    assert "allin_portal.W001" in result.stderr


def test_system_checks_have_no_warnings(db):
    # allauth reports outdated setting names only as warnings.
    result = run_manage("check", "--fail-level", "WARNING", SECRET_KEY="x", HTTPS="false")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DEBUG", "yes"), ("HTTPS", "1"), ("DB_CONN_MAX_AGE", "ten")]
)
def test_bad_setting_values_fail_loudly(name, value):
    result = run_manage("check", SECRET_KEY="x", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_missing_secret_key_fails_loudly():
    result = run_manage("check", SECRET_KEY="")
    assert "SECRET_KEY is not set" in result.stderr


def test_rate_limit_cache_is_shared_between_workers():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "core.dbcache.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )


def test_database_connections_persist_with_health_checks():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.vendor == "postgresql"


def test_security_headers(client, db):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_production_settings_send_hsts_and_redirect_to_https():
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(HTTP_HOST='all-in.example.org');"
        "plain = c.get('/robots.txt'); secure = c.get('/robots.txt', secure=True);"
        "print(plain.status_code, plain['Location']);"
        "print(secure['Strict-Transport-Security'])"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "allin_portal.settings", **PRODUCTION}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    redirect, hsts = result.stdout.splitlines()
    assert redirect == "301 https://all-in.example.org/robots.txt"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
