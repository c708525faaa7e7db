from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from events.models import Event, Invitation
from events.questions import CHOICE_MAX, ORIGINAL, Question, add_question_fields, answers_from
from members.models import Member


class EventFilterForm(forms.Form):
    series = forms.ChoiceField(
        label=_("Series"), required=False, choices=[("", _("All series")), *Event.Series.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("All formats")), *Event.Format.choices]
    )

    def __init__(self, *args, years=(), country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
        self.fields["country"].choices = [("", _("All countries"))] + sorted(
            ((code, countries.name(code)) for code in country_codes), key=lambda c: c[1]
        )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["series"]:
            queryset = queryset.filter(series=data["series"])
        if data["year"]:
            queryset = queryset.filter(starts_at__year=data["year"])
        if data["country"]:
            queryset = queryset.filter(country=data["country"])
        if data["format"]:
            queryset = queryset.filter(format=data["format"])
        return queryset


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)
    country = LazyTypedChoiceField(
        label=_("Country"), required=False, choices=[("", "---------"), *countries]
    )
    listed = forms.BooleanField(
        label=_("May be listed to other attendees"), required=False, initial=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with a header row: name, email, organization, country (code or name), "
            "listed (yes/no). Members are recognised by their email address."
        ),
    )


class GuestRegistrationForm(forms.Form):
    """A guest registers themself: who they are, then the event's questions."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)
    country = LazyTypedChoiceField(
        label=_("Country"), required=False, choices=[("", "---------"), *countries]
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", "---------"), *Member.RoleCategory.choices]
    )
    listed = forms.BooleanField(
        label=_("Other attendees may see my name"), required=False, initial=False
    )
    # Honeypot: hidden from people (and from assistive technology); bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        add_question_fields(self, self.questions)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give your name."))
        return name

    @property
    def person_fields(self):
        return [self[n] for n in ("name", "email", "organization", "country", "role", "listed")]

    @property
    def question_fields(self):
        return [self[q.field_name] for q in self.questions]

    def answers(self):
        return answers_from(self.cleaned_data, self.questions)


def _choice_lines(text):
    """Choices typed one per line: blank lines dropped, spaces tidied, each checked."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if any(len(line) > CHOICE_MAX for line in lines):
        raise forms.ValidationError(_("A choice has at most 200 characters."))
    if len(lines) > 50:
        raise forms.ValidationError(_("At most 50 choices."))
    return lines


class QuestionForm(forms.ModelForm):
    """A question in English (the original, what answers keep), and its wording in each
    of the event's other languages (and any it was already worded in)."""

    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, for one choice or several choices."),
    )

    class Meta:
        model = Question
        fields = ["label_en", "kind", "required", "help_text_en", "choices", "order"]
        labels = {"label_en": _("Question (English)"), "help_text_en": _("Help text (English)")}

    def __init__(self, *args, form_kind, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.form = form_kind
        self.fields["label_en"].required = True
        if form_kind != Question.Form.SURVEY:
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != Question.Kind.RATING
            ]
        if self.instance.pk:
            self.initial["choices"] = "\n".join(self.instance.choices)
        names = dict(settings.LANGUAGES)
        instance = self.instance
        worded = {
            code
            for code in names
            if getattr(instance, f"label_{code}", None) or (instance.choice_labels or {}).get(code)
        }
        self.other_languages = [
            code for code in names if code != ORIGINAL and (code in languages or code in worded)
        ]
        for code in self.other_languages:
            language = {"language": names[code]}
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % language,
                max_length=300,
                required=False,
                initial=getattr(instance, f"label_{code}", None) or "",
                help_text=_("Empty: people reading in this language see the English."),
            )
            self.fields[f"help_text_{code}"] = forms.CharField(
                label=_("Help text (%(language)s)") % language,
                max_length=300,
                required=False,
                initial=getattr(instance, f"help_text_{code}", None) or "",
            )
            self.fields[f"choices_{code}"] = forms.CharField(
                label=_("Choices (%(language)s)") % language,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial="\n".join((instance.choice_labels or {}).get(code) or []),
                help_text=_("One per line, in the same order as the English choices."),
            )

    def clean_choices(self):
        return _choice_lines(self.cleaned_data["choices"])

    def clean(self):
        data = super().clean()
        english = data.get("choices")
        labels = dict(self.instance.choice_labels or {})
        for code in self.other_languages:
            for field in ("label", "help_text"):
                text = " ".join((data.get(f"{field}_{code}") or "").split())
                setattr(self.instance, f"{field}_{code}", text or None)
            name = f"choices_{code}"
            if name not in data:
                continue  # already refused (too long)
            try:
                lines = _choice_lines(data[name])
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if not lines:
                labels.pop(code, None)
            elif data.get("kind") not in (Question.Kind.CHOICE, Question.Kind.CHOICES):
                self.add_error(name, _("Only choice questions have choices."))
            elif english is not None and len(lines) != len(english):
                self.add_error(
                    name,
                    _(
                        "Give %(count)d choices, one per line in the same order as the "
                        "English (you gave %(given)d)."
                    )
                    % {"count": len(english), "given": len(lines)},
                )
            else:
                labels[code] = lines
        self.instance.choice_labels = labels
        return data


class EventSettingsForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "registration_policy",
            "languages",
            "survey_open",
            "survey_anonymous_allowed",
            "certificates_enabled",
            "hours",
            "signatory_name",
            "signatory_title",
            "certificate_logo",
        ]


class InvitationForm(forms.ModelForm):
    ALREADY_INVITED = _("This address is already invited.")

    class Meta:
        model = Invitation
        fields = ["name", "email"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if self.instance.event.invitations.filter(email__lower_exact=email).exists():
            raise forms.ValidationError(self.ALREADY_INVITED, code="unique")
        return email


class SurveyForm(forms.Form):
    def __init__(self, *args, questions=(), allow_anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        add_question_fields(self, self.questions)
        if allow_anonymous:
            self.fields["anonymous"] = forms.BooleanField(
                label=_("Answer anonymously (your name is not kept with your answers)"),
                required=False,
            )

    def answers(self):
        return answers_from(self.cleaned_data, self.questions)
