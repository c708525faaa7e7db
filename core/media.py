"""Uploaded files: where they are stored and how public ones are served.

Two storages, chosen by settings (STORAGES) from the environment:

- "default": public media (member photos, organization logos, event photos), served under
  MEDIA_URL by `public_media` below;
- "private": resource and case-study PDFs and import uploads waiting for the task worker,
  never given a URL: only access-checked views read them (resources.views.download).

On one machine both are folders (MEDIA_ROOT, PRIVATE_MEDIA_ROOT). With S3_BUCKET set they are
two prefixes of one S3-compatible bucket (django-storages), so every instance and every worker
reads the same files. The bucket stays private: browsers never talk to it. Public media keep
their /media/ addresses (the portal streams them, with a year of caching, so a CDN in front of
the portal serves them from its edge), and private files are streamed through the portal after
the access check, never handed out as presigned URLs (a presigned URL works for anyone who has
it until it expires, and would need the bucket reachable from the Internet).

Code reads files through these storages (`open`, `exists`, `listdir`), never through a
filesystem path, so it works the same on either.
"""

import os
import posixpath
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.functional import LazyObject, empty
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe
from storages.backends.s3 import S3Storage

# The only types an upload can become (members/images.py re-encodes every image).
PUBLIC_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
ONE_YEAR = 365 * 24 * 60 * 60


class PrivateFileSystemStorage(FileSystemStorage):
    """PRIVATE_MEDIA_ROOT, read from settings at each use: no URL serves these files."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL: use the download view.")


class PublicS3Storage(S3Storage):
    """Public media in the bucket, still addressed under MEDIA_URL (see the module doc)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + name.lstrip("/")


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL: use the download view.")


class PrivateStorage(LazyObject):
    """storages["private"], looked up at first use and again after STORAGES changes (a model
    field keeps one storage object for the life of the process)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def walk(storage, folder=""):
    """Every file name in a storage (or under one of its folders), through its own API."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a folder storage before its first file
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from walk(storage, posixpath.join(folder, sub) if folder else sub)


def _is_inside(path, folder):
    try:
        path.relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def _outside_public_folder(path):
    """On disk: a name that leaves MEDIA_ROOT or enters PRIVATE_MEDIA_ROOT (which a set-up
    may have put inside it)."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path)).resolve()
    except (SuspiciousFileOperation, ValueError):
        return True
    media_root = Path(settings.MEDIA_ROOT).resolve()
    return not _is_inside(full, media_root) or _is_inside(full, settings.PRIVATE_MEDIA_ROOT)


@require_safe
def public_media(request, path):
    """A public image from the default storage, whichever it is. Images only (the types the
    upload checks produce), a year of browser caching (stored names are never reused:
    members/images.py adds a random part), `nosniff` and a sandboxing Content-Security-Policy.
    """
    suffix = posixpath.splitext(path)[1].lower()
    if suffix not in PUBLIC_TYPES or "\x00" in path:
        raise Http404
    if isinstance(storages["default"], FileSystemStorage) and _outside_public_folder(path):
        raise Http404
    try:
        file = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousOperation, ValueError):
        raise Http404 from None
    modified = int(default_storage.get_modified_time(path).timestamp())
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    with file:
        if since is not None and since >= modified:
            response = HttpResponseNotModified()
        else:  # re-encoded images of a few hundred KB at most
            response = HttpResponse(file.read(), content_type=PUBLIC_TYPES[suffix])
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # An image opened on its own can run nothing, whatever a browser makes of it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
