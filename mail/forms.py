from django import forms

from mail.models import Kind


class PreferencesForm(forms.Form):
    """Which kinds of email an address receives (account emails always go)."""

    label_suffix = ""

    announcement = forms.BooleanField(required=False, label=Kind.ANNOUNCEMENT.label)
    event_news = forms.BooleanField(required=False, label=Kind.EVENT_NEWS.label)
    digest = forms.BooleanField(required=False, label=Kind.DIGEST.label)
    groups = forms.BooleanField(required=False, label=Kind.GROUPS.label)
