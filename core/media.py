"""Uploaded public files (member photos, organization logos) under MEDIA_URL.

WhiteNoise serves static files only, so the portal serves MEDIA_ROOT itself in the default
set-up: images only (the types the upload checks produce), with a year of browser caching
(stored names are never reused: members/images.py adds a random part), `nosniff` and a
sandboxing Content-Security-Policy. Private files (resource PDFs) live in
PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, and are never answered here. In production a web
server location can serve /media/ instead with the same headers (docs/operations.md).
"""

import posixpath
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

# The only types an upload can become (members/images.py re-encodes every image).
PUBLIC_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
ONE_YEAR = 365 * 24 * 60 * 60


def _is_inside(path, folder):
    try:
        path.relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


@require_safe
def public_media(request, path):
    suffix = posixpath.splitext(path)[1].lower()
    if suffix not in PUBLIC_TYPES or "\x00" in path:
        raise Http404
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path)).resolve()
    except (SuspiciousFileOperation, ValueError):  # the path leaves MEDIA_ROOT
        raise Http404 from None
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if not _is_inside(full, media_root) or _is_inside(full, settings.PRIVATE_MEDIA_ROOT):
        raise Http404
    if not full.is_file():
        raise Http404
    modified = int(full.stat().st_mtime)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and since >= modified:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(full.read_bytes(), content_type=PUBLIC_TYPES[suffix])
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # An image opened on its own can run nothing, whatever a browser makes of it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
