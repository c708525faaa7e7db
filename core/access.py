"""The portal's one access policy (docs/access.md).

- An object the user may not know exists (a draft, a hidden profile, another event's
  registration) answers 404: the apps' permission-checked getters look it up through the
  model's QuerySet verb (`Resource.objects.previewable_by`, `Member.objects.listed_for`...).
- A page the user knows exists but may not use raises `PermissionDenied`: signed-in users
  get 403, visitors are sent to sign in and come back (`permission_denied` below, the
  project's `handler403`). So a view never decides between 403 and a sign-in redirect.
- A role's pages are guarded by `role_required("<app>.<permission>")`.
- A refusal that needs its reason said (a certificate before the event began, a survey for
  someone who was not there) passes it to `require(allowed, reason)`: the 403 page shows it.
  `sign_in=False` when signing in would not help (a guest who came by their emailed link).

Imports no app: members, events and resources all use it.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def role_required(permission):
    """A view for one role (a permission its group grants): others are refused."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require(request.user.has_perm(permission))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class Refused(PermissionDenied):
    """PermissionDenied with the reason the 403 page shows; `sign_in=False`: a visitor gets
    the 403 page too, not the sign-in page."""

    def __init__(self, reason="", *, sign_in=True):
        super().__init__(reason)
        self.reason = reason
        self.sign_in = sign_in


def require(allowed, reason="", *, sign_in=True):
    """Refuse the request unless `allowed`: 403 (saying `reason`), or the sign-in page for a
    visitor (unless `sign_in` is False)."""
    if not allowed:
        raise Refused(reason, sign_in=sign_in)


def bad_request(request, exception=None, *, nul_bytes=False):
    """handler400: the site's page (signed-in header and all), not Django's bare one.
    `nul_bytes`: the request held a NUL byte (allin_portal.middleware.RejectNulMiddleware)."""
    return render(request, "400.html", {"nul_bytes": nul_bytes}, status=400)


def permission_denied(request, exception=None):
    """handler403: visitors sign in first (and come back); signed-in users see 403, with the
    refusal's reason when it gave one (`require(allowed, reason)`)."""
    if not request.user.is_authenticated and getattr(exception, "sign_in", True):
        return redirect_to_login(request.get_full_path())
    reason = getattr(exception, "reason", "")
    return render(request, "403.html", {"reason": reason}, status=403)


def server_error(request):
    """The 500 page, saying the error was reported only when it was: error reports are
    mailed to ADMINS when a mail server is configured (settings.ERRORS_REPORTED). Rendered
    without the request context: whatever failed may fail again."""
    from django.conf import settings
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"reported": settings.ERRORS_REPORTED}))
