"""Whole-page caching of public pages for anonymous visitors.

Visitors see only public data, so one rendered page serves them all. Signed-in
users (members see more) and requests carrying flash messages always get a
fresh page. Each gunicorn worker keeps its own copy for at most
PUBLIC_PAGE_CACHE_SECONDS, so an edit reaches visitors within that time.
"""

import functools

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


def public_page_cache(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if (
            not timeout
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        cache = caches["pages"]
        key = f"page:{get_language()}:{request.get_full_path()}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            # A page with a CSRF token or a cookie belongs to one visitor only.
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            if response.status_code == 200 and not personal:
                cache.set(key, response, timeout)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
