"""allauth's emails (address confirmation, password reset...) through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from core.clientip import client_ip
from mail import outbox

# allauth's context entries that sign someone in (reset keys, confirmation keys, codes).
SECRET_CONTEXT = ("key", "code", "token")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A new account starts in the language its owner was reading the site in."""
        user.language = outbox.language_of(None)
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        """The client behind our trusted proxies, for allauth's rate limits and the portal's
        own per-address limits alike (core/clientip.py)."""
        return client_ip(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix, email, context):
        """As allauth's, but rendered in the account's language (else the request's) and
        queued in the outbox instead of sent in the request."""
        user = context.get("user")
        if not (user and user.pk):
            user = get_user_model().objects.with_email(email)
        language = outbox.language_of(user)
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        secrets = [str(ctx[k]) for k in SECRET_CONTEXT if ctx.get(k)]
        urls = [v for v in ctx.values() if isinstance(v, str) and "://" in v]
        outbox.send_prepared(
            message,
            template=template_prefix,
            language=language,
            user=user,
            secrets=secrets,
            urls=urls,
        )
