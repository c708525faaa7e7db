from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import GroupMembership

# Generous, and bounded: a post is a message, not a book.
BODY_MAX = 20_000


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["dir"] = "auto"


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Why?"), max_length=500, required=False)


class NotifyForm(forms.Form):
    notify = forms.ChoiceField(label=_("Emails from this group"), choices=GroupMembership.Notify)


class MoveForm(forms.Form):
    to_group = forms.ModelChoiceField(label=_("Move to"), queryset=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Invite a member by email address"))

    def clean_email(self):
        from django.contrib.auth import get_user_model

        from groups.models import is_network_member

        user = get_user_model().objects.with_email(self.cleaned_data["email"])
        if user is None or not is_network_member(user):
            raise forms.ValidationError(_("No member of the network has this address."))
        self.user = user
        return self.cleaned_data["email"]
