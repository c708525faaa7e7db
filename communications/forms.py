from django import forms
from django.utils.translation import gettext_lazy as _

from communications.models import Announcement, no_line_breaks


class EventEmailForm(forms.Form):
    """Event staff write to the event's registrants."""

    audience = forms.ChoiceField(
        label=_("To"), choices=Announcement.EventAudience.choices, initial="confirmed"
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[no_line_breaks])
    body = forms.CharField(
        label=_("Message (Markdown)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
