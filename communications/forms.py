from django import forms
from django.utils.translation import gettext_lazy as _

from communications.models import Announcement, Kind, no_line_breaks


class PreferencesForm(forms.Form):
    """Which kinds of email an address receives (account emails always go)."""

    label_suffix = ""

    announcement = forms.BooleanField(required=False, label=Kind.ANNOUNCEMENT.label)
    event_news = forms.BooleanField(required=False, label=Kind.EVENT_NEWS.label)
    digest = forms.BooleanField(required=False, label=Kind.DIGEST.label)


class EventEmailForm(forms.Form):
    """Event staff write to the event's registrants."""

    audience = forms.ChoiceField(
        label=_("To"), choices=Announcement.EventAudience.choices, initial="confirmed"
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[no_line_breaks])
    body = forms.CharField(
        label=_("Message (Markdown)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
