"""The interface language: the switcher's view, and the account remembering the choice.

A visitor's choice lives in Django's language cookie (read by LocaleMiddleware). A signed-in
person's choice is also stored in `User.language`: set by the switcher, taken from the page's
language at sign-up, and applied (cookie included) when they sign in on any browser.
"""

from django.conf import settings
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def remember(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# No CSRF token: the switcher is on every page, and a token would make every visitor's page
# personal (uncacheable, a cookie each). A forged cross-site post can at worst change the
# language cookie: the session cookie is SameSite=Lax, so it never reaches an account.
@csrf_exempt
@require_POST
def set_language(request):
    """Django's set_language (cookie, safe `next` redirect), plus the account for members."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if code in LANGUAGE_CODES and request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


def on_login(sender, request, user, **kwargs):
    """Switch to the account's language for the rest of this request and, by cookie, after."""
    if request is not None and user.language in LANGUAGE_CODES:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        request.account_language = user.language


def on_signup(sender, request, user, **kwargs):
    """A new account keeps the language its owner was reading when they signed up."""
    code = translation.get_language()
    if code in LANGUAGE_CODES and user.language != code:
        user.language = code
        user.save(update_fields=["language"])


class AccountLanguageMiddleware:
    """Sets the language cookie on the response to a sign-in (see `on_login`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        code = getattr(request, "account_language", None)
        if code:
            remember(response, code)
        return response
