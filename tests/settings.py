"""Test settings: the production settings module plus the few test-only overrides."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("HTTPS", "false")
# Browser tests drive the ORM from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from allin_portal.settings import *  # noqa: E402,F403
from allin_portal.settings import BASE_DIR, CACHES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed static names need collectstatic; the plain storage doesn't.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from static/ (the live server in browser tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Emails are delivered by the task that the commit hands them to, in the same thread (the
# outbox's own tests, tests/communications/, run the real database queue and its worker).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
# Servers a test starts on a shared Redis (tests/core/test_datacache.py) get a key
# prefix of their own run: no other run sees, counts or deletes their entries.
if os.environ.get("TEST_CACHE_KEY_PREFIX"):
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": os.environ["TEST_CACHE_KEY_PREFIX"]}}
# Uploaded files in a folder per pytest-xdist worker (gw0, gw1...; "main" without xdist):
# two workers never write, replace or delete the same file. The environment still wins
# (a test's subprocess names its own folders).
_FILES = BASE_DIR / "var" / "tests" / os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", _FILES / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", _FILES / "private"))
