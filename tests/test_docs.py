"""README.md and docs/ stay true of the code: every file or folder, project module and URL
path they quote in backticks exists, docs/settings.md names exactly the environment variables
allin_portal/settings.py reads, docs/dependencies.md has a line for every pinned package, and
the README stays a first screen (under 12 KB).

docs/architecture.md's tables of floors are checked against the import graph by
tests/test_architecture_doc.py."""

import importlib
import json
import re
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import Resolver404, resolve

from tests.test_boundaries import project_packages

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_BYTES = 12 * 1024

# Quoted paths that only exist once the portal has run (the defaults of settings.py and
# what make writes), not in a clone.
MADE_AT_RUN_TIME = ("var/", "./var/", "tests/artifacts/", "PRIVATE_MEDIA_ROOT/")
# The two prefixes of the S3 bucket that replace the media folders (settings.s3_storages).
BUCKET_PREFIXES = {"media/", "private/"}
# Absolute paths on a server (deploy/ installs files there, logs are read there): quoted
# beside URL paths, but no URL of the portal.
SERVER_FOLDERS = ("/etc/", "/usr/", "/var/", "/srv/", "/opt/", "/home/", "/root/")
# URL prefixes quoted in docs that Django does not route: the web server's internal location
# for x-accel-redirect (RESOURCE_FILES_INTERNAL_URL), the public media root, whose files
# are routed one by one (`/media/<path>`), and the static files, which WhiteNoise serves
# before any URL is resolved (STATIC_URL).
NOT_ROUTES = {"/protected/", "/media/", "/static/"}


def spans(doc):
    """The inline code spans of a Markdown file (fenced blocks left out)."""
    text = re.sub(r"^```.*?^```", "", doc.read_text(), flags=re.S | re.M)
    return re.findall(r"`([^`\n]+)`", text)


def quoted(kind):
    """[(doc name, span)] of every doc's spans of that kind, for parametrize ids."""
    return [(doc.relative_to(ROOT).as_posix(), s) for doc in DOCS for s in spans(doc) if kind(s)]


def is_path(span):
    return (
        "/" in span
        and not span.startswith(("/", "?", "."))
        and "://" not in span
        and not re.search(r"[\s<>{}*\"'=]", span)
    ) or span.startswith(".ci/")


def is_dotted(span):
    name = span.removesuffix("()")
    return (
        re.fullmatch(r"[a-z_]\w*(\.\w+)+", name) is not None
        and name.split(".")[0] in project_packages()
    )


def is_url(span):
    return (
        span.startswith("/") and not span.startswith(SERVER_FOLDERS) and not re.search(r"\s", span)
    )


def permissions():
    """Every "app_label.codename" permission the project's models declare."""
    names = set()
    for model in apps.get_models():
        opts = model._meta
        names.update(f"{opts.app_label}.{codename}" for codename, _ in opts.permissions)
        names.update(
            f"{opts.app_label}.{action}_{opts.model_name}" for action in opts.default_permissions
        )
    return names


def find(name):
    """The object a dotted name names (module, then attributes), or None."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
            break
        except ImportError:
            continue
    else:
        return None
    for attribute in parts[cut:]:
        target = getattr(target, attribute, None)
        if target is None:
            return None
    return target


def test_the_docs_quote_enough_to_be_checked():
    assert len(DOCS) > 10
    assert len(quoted(is_path)) > 100
    assert len(quoted(is_dotted)) > 30
    assert len(quoted(is_url)) > 40


def test_the_readme_is_a_first_screen():
    assert (ROOT / "README.md").stat().st_size < README_MAX_BYTES


@pytest.mark.parametrize(("doc", "span"), quoted(is_path))
def test_every_quoted_path_exists(doc, span):
    if span.startswith(MADE_AT_RUN_TIME) or span in BUCKET_PREFIXES:
        return
    path = span.split("#")[0].rstrip(":")
    if re.fullmatch(r"\w+/\d{4}", path):  # a migration by its app and number
        app, number = path.split("/")
        assert list((ROOT / app / "migrations").glob(f"{number}_*.py")), f"{doc}: `{span}`"
        return
    assert (ROOT / path).exists(), f"{doc}: `{span}` does not exist"


@pytest.mark.parametrize(("doc", "span"), quoted(is_dotted))
def test_every_quoted_module_name_exists(doc, span):
    name = span.removesuffix("()")
    assert find(name) is not None or name in permissions(), f"{doc}: `{span}` names nothing"


def resolves(path):
    """Does the path resolve with its placeholders (`<slug>`, `<id>`...) filled in?"""
    path = path.split("?")[0]
    for sample in ("1", str(uuid.UUID(int=1))):
        try:
            resolve(re.sub(r"<[^>]*>", sample, path))
            return True
        except Resolver404:
            continue
    return False


@pytest.mark.parametrize(("doc", "span"), quoted(is_url))
def test_every_quoted_url_path_resolves(doc, span):
    if span in NOT_ROUTES:
        return
    assert resolves(span), f"{doc}: `{span}` is no URL of the portal"


def test_a_wrong_url_or_path_is_caught():
    assert not resolves("/no-such-page/")
    assert resolves("/events/<slug>/staff/") and resolves("/imports/<id>/")
    assert find("core.access.no_such_thing") is None and find("core.access.require")
    assert "events.manage_registrations" in permissions()
    assert is_url("/healthz") and is_url("/events/<slug>/") and not is_url("/etc/allin/allin.env")


SETTINGS = (ROOT / "allin_portal" / "settings.py").read_text()


def variables_read():
    """Every environment variable allin_portal/settings.py reads."""
    return set(
        re.findall(r"(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*\"(\w+)\"", SETTINGS)
    )


def variables_documented():
    """Every variable in the first column of docs/settings.md's tables."""
    names = set()
    for line in (ROOT / "docs" / "settings.md").read_text().splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[1]))
    return names


def test_settings_page_names_exactly_what_settings_reads():
    read = variables_read()
    assert len(read) > 30 and {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read
    assert read - variables_documented() == set(), "read by settings.py, not in docs/settings.md"
    assert variables_documented() - read == set(), "in docs/settings.md, not read by settings.py"


def test_every_pinned_package_is_explained():
    doc = (ROOT / "docs" / "dependencies.md").read_text()
    listed = {
        line.split("|")[1].strip().lower() for line in doc.splitlines() if line.startswith("| ")
    }
    requirements = (ROOT / "requirements.txt").read_text().split()
    pinned = {re.split(r"[=<>\[]", line)[0].lower() for line in requirements if line[0].isalpha()}
    npm = json.loads((ROOT / "package.json").read_text())
    pinned |= {name.lower() for name in {**npm.get("dependencies", {}), **npm["devDependencies"]}}
    assert pinned - listed == set()
