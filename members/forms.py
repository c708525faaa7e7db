from allauth.account import forms as allauth_forms
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.countries import Region
from core.forms import HttpsURLField
from members.images import clean_image
from members.models import Member, Organization, Program

PROFILE_FIELDS = [
    "name",
    "position",
    "organization",
    "country",
    "role_category",
    "expertise",
    "languages",
    "bio",
    "website",
    "orcid",
    "linkedin",
    "photo",
    "visibility",
    "show_email",
]


class ImageFieldsMixin:
    """Photos and logos go through Pillow; a bad file is an error on its field only."""

    image_fields = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.image_fields:
            upload = self.files.get(self.add_prefix(name))
            if upload and name not in self.errors:
                try:
                    cleaned[name] = clean_image(upload)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


MARKDOWN_HINT = _("Plain text; *asterisks* for emphasis, [text](link) for links.")


def name_the_empty_choice(form, labels):
    """Replace the "---------" first option of choice fields by words ({field: label})."""
    for name, label in labels.items():
        field = form.fields.get(name)
        if field is None:
            continue
        if hasattr(field, "empty_label") and field.empty_label is not None:
            field.empty_label = label
        choices = list(field.choices)
        if choices and choices[0][0] in ("", None):
            field.choices = [("", label), *choices[1:]]


class ProfileForm(ImageFieldsMixin, forms.ModelForm):
    image_fields = ("photo",)

    class Meta:
        model = Member
        fields = PROFILE_FIELDS
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        # The file is judged by members.images (Pillow), with its own messages.
        field_classes = {
            "website": HttpsURLField,
            "linkedin": HttpsURLField,
            "photo": forms.FileField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.only("pk", "name")
        self.fields["photo"].widget = forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        )
        self.fields["photo"].help_text = _("JPEG, PNG or WebP, at most 5 MB.")
        self.fields["bio"].help_text = MARKDOWN_HINT
        name_the_empty_choice(
            self,
            {
                "organization": _("Choose your organization (or leave empty)"),
                "country": _("Choose a country"),
            },
        )


class JoinForm(ProfileForm):
    class Meta(ProfileForm.Meta):
        fields = PROFILE_FIELDS + ["motivation"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivation"].required = True
        self.fields["motivation"].help_text = _(
            "In a few sentences: your work in school leadership and why you wish to join."
        )


class OrganizationForm(ImageFieldsMixin, forms.ModelForm):
    image_fields = ("logo",)

    class Meta:
        model = Organization
        fields = ["description", "website", "logo"]
        field_classes = {"website": HttpsURLField, "logo": forms.FileField}
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = MARKDOWN_HINT


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "name",
            "description",
            "countries",
            "audience",
            "format",
            "leaders_per_year",
            "evidence",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = MARKDOWN_HINT
        name_the_empty_choice(self, {"format": _("Choose a format")})

    def clean_evidence(self):
        validate = URLValidator(schemes=["http", "https"])
        lines = [line.strip() for line in self.cleaned_data["evidence"].splitlines()]
        for line in filter(None, lines):
            try:
                validate(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a web address (https://...)."), params={"line": line}
                ) from None
        return "\n".join(filter(None, lines))


class ContactForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)

    def clean_subject(self):
        # One line: a line break would be an email header injection.
        return " ".join(self.cleaned_data["subject"].split())


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters (GET). Unknown values are ignored, not errors."""

    OECD_CHOICES = [("", _("All countries")), ("yes", _("OECD")), ("no", _("Non-OECD"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # A code checked against the country list (not a ChoiceField: building its 250 translated
    # choices on every directory request cost more than the page's queries).
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    region = forms.ChoiceField(label=_("Region"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    expertise = forms.CharField(label=_("Expertise"), required=False, max_length=100)
    org_type = forms.ChoiceField(label=_("Organization type"), required=False)
    oecd = forms.ChoiceField(label=_("OECD"), required=False, choices=OECD_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All"))] + list(Region.choices)
        self.fields["role"].choices = [("", _("All"))] + list(Member.RoleCategory.choices)
        self.fields["org_type"].choices = [("", _("All"))] + list(Organization.Type.choices)

    def clean_country(self):
        code = self.cleaned_data["country"].upper()
        if code and code not in countries:
            raise forms.ValidationError(_("Unknown country."))
        return code

    def filters(self):
        """The valid, non-empty filters as a dict (invalid ones are dropped)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value}


class DeleteAccountForm(allauth_forms.ReauthenticateForm):
    """Deleting an account asks for its password again (allauth's check, which counts
    failed attempts like a sign-in), and the box is ticked on purpose."""

    confirm = forms.BooleanField(
        label=_("Yes, delete my account and everything in it"),
        error_messages={
            "required": _("Tick the box to confirm that you wish to delete your account.")
        },
    )

    field_order = ["password", "confirm"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Current password")
        self.fields["password"].widget.attrs.pop("placeholder", None)  # the label says it


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form in the site's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")


class PasswordLabelsMixin:
    """allauth's password forms in the site's words (sentence case)."""

    LABELS = {
        "oldpassword": _("Current password"),
        "password1": _("New password"),
        "password2": _("New password (again)"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].widget.attrs.pop("placeholder", None)  # the label says it


class ChangePasswordForm(PasswordLabelsMixin, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(PasswordLabelsMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordKeyForm(PasswordLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    pass
