"""Forms answer the same way on every page of the site (docs/access.md, "Forms").

- One rendering: `{{ form }}` renders `templates/_form.html` (the summary and non-field
  errors) and `templates/_field.html` for each field (label with the required marker,
  errors, widget, help text; the widget's `aria-describedby` names the errors and the
  help text, `aria-invalid` marks a field in error).
- One answer for a submitted form with errors: `INVALID_FORM_STATUS` (400 Bad Request),
  from function views through `form_status()` and from class-based views (allauth's
  included) through `InvalidFormStatusMiddleware`.
- One reading of a web address typed without a scheme: https (`HttpsURLField`).
"""

from django import forms
from django.db import models
from django.forms.renderers import TemplatesSetting

INVALID_FORM_STATUS = 400


class HttpsURLField(forms.URLField):
    """A web address typed without a scheme means https:// (Django 6's default)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


# For the back office: `formfield_overrides = URL_FIELDS_ASSUME_HTTPS`.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"form_class": HttpsURLField}}


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "_form.html"
    field_template_name = "_field.html"


def form_status(*forms):
    """The status of a page showing these forms: 400 when one was submitted with errors."""
    if any(form is not None and form.is_bound and form.errors for form in forms):
        return INVALID_FORM_STATUS
    return 200


class InvalidFormStatusMiddleware:
    """A class-based view (a FormView, allauth's) that renders a submitted form with
    errors answers INVALID_FORM_STATUS, like the function views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if request.method == "POST" and response.status_code == 200:
            context = response.context_data or {}
            response.status_code = form_status(context.get("form"))
        return response
