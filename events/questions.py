"""Questions staff ask at registration and in the feedback survey, and their answers.

An answer keeps a snapshot of the question (label, type, choices) as it was when it was
given, so editing or deleting a question later never makes old answers unreadable.

Questions are worded in the event's languages: `label` and `help_text` through
django-modeltranslation (events/translation.py), the choices through `choice_labels`.
Whatever language a registrant answers in, the answer stores the canonical (English)
value and the English wording, so staff pages, filters and exports read the same.
"""

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.templatetags.portal import in_language

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
CHOICE_MAX = 200
ORIGINAL = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def _base(code):
    return (code or ORIGINAL).split("-")[0].lower()


class Question(models.Model):
    class Form(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        SURVEY = "survey", _("Feedback survey")

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("One choice")
        CHOICES = "choices", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        COUNTRY = "country", _("Country")
        RATING = "rating", _("Rating from 1 to 5 (survey only)")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="questions", verbose_name=_("event")
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    choices = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("choices"),
        default=list,
        blank=True,
        help_text=_("One per line, for one choice or several choices."),
    )
    # The choices' wording in the event's other languages, in the same order as `choices`:
    # {"fr": ["Végétarien", "Végétalien"], ...}. `choices` stays the English original and is
    # what answers store (modeltranslation cannot translate an ArrayField, and one stored
    # value per choice keeps the attendee page, its filter and the CSV export the same,
    # whatever language people answered in). A language without labels shows the English.
    choice_labels = models.JSONField(_("choices in other languages"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["event", "form", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rating") | Q(form="survey"), name="question_rating_in_survey"
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        errors = {}
        if self.kind in (self.Kind.CHOICE, self.Kind.CHOICES):
            if len(self.choices) < 2:
                errors["choices"] = _("Give at least two choices.")
            elif len({c.strip().lower() for c in self.choices}) != len(self.choices):
                errors["choices"] = _("Each choice must be different.")
        elif self.choices:
            errors["choices"] = _("Only choice questions have choices.")
        problem = self.choice_labels_problem()
        if problem and "choices" not in errors:
            errors["choice_labels"] = problem
        if self.kind == self.Kind.RATING and self.form != self.Form.SURVEY:
            errors["kind"] = _("Ratings belong in the feedback survey.")
        if errors:
            raise ValidationError(errors)

    def choice_labels_problem(self):
        """Why `choice_labels` does not fit the choices (a message), or None."""
        labels = self.choice_labels
        if not labels:
            return None
        if not isinstance(labels, dict):
            return _("Give the choices of each language as a list.")
        others = {code for code, _name in settings.LANGUAGES if code != ORIGINAL}
        for code, wording in labels.items():
            if code not in others:
                return _("Unknown language: %(codes)s.") % {"codes": code}
            if not isinstance(wording, list) or not all(isinstance(w, str) for w in wording):
                return _("Give the choices of each language as a list.")
            if len(wording) != len(self.choices):
                return _(
                    "%(language)s: give %(count)d choices, one per line in the same order "
                    "as the English (you gave %(given)d)."
                ) % {
                    "language": dict(settings.LANGUAGES)[code],
                    "count": len(self.choices),
                    "given": len(wording),
                }
            if any(not w.strip() or len(w) > CHOICE_MAX for w in wording):
                return _("A choice has at most 200 characters.")
        return None

    def wording(self, field, language=None):
        """(text, its language) of `label` or `help_text`: in `language` (default: the
        page's) when worded in it, else the English original."""
        code = _base(language or get_language())
        text = getattr(self, f"{field}_{code}", None)
        if text:
            return text, code
        return getattr(self, f"{field}_{ORIGINAL}", None) or "", ORIGINAL

    def choice_wording(self, language=None):
        """(labels in the order of `choices`, their language), with the same fallback."""
        code = _base(language or get_language())
        labels = (self.choice_labels or {}).get(code) if code != ORIGINAL else None
        if isinstance(labels, list) and len(labels) == len(self.choices) and all(labels):
            return labels, code
        return list(self.choices), ORIGINAL

    @property
    def field_name(self):
        return f"q_{self.pk}"

    def _choices(self):
        labels, code = self.choice_wording()
        return [
            (value, in_language(label, code))
            for value, label in zip(self.choices, labels, strict=True)
        ]

    def form_field(self):
        """The form field that asks this question (server-side validated, no JavaScript),
        worded in the page's language, or in English marked lang="en" (safe HTML labels)."""
        label, help_text = self.wording("label"), self.wording("help_text")
        common = {
            "label": in_language(*label),
            "help_text": in_language(*help_text) if help_text[0] else "",
            "required": self.required,
        }
        if self.kind == self.Kind.SHORT_TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
        if self.kind == self.Kind.LONG_TEXT:
            return forms.CharField(
                max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        if self.kind == self.Kind.CHOICE:
            return forms.ChoiceField(choices=self._choices(), widget=forms.RadioSelect, **common)
        if self.kind == self.Kind.CHOICES:
            return forms.MultipleChoiceField(
                choices=self._choices(),
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if self.kind == self.Kind.YES_NO:
            return forms.TypedChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda v: v == "yes",
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        if self.kind == self.Kind.COUNTRY:
            return LazyTypedChoiceField(choices=[("", "---------"), *countries], **common)
        return forms.TypedChoiceField(
            choices=[(str(n), str(n)) for n in range(1, 6)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "rating"}),
            **common,
        )


def text_of(kind, value):
    """An answer's value as words, in the language of the moment (choices: as stored)."""
    if value is None or value == "" or value == []:
        return ""
    if kind == Question.Kind.CHOICES:
        return "; ".join(value)
    if kind == Question.Kind.YES_NO:
        return gettext("Yes") if value else gettext("No")
    if kind == Question.Kind.COUNTRY:
        return str(countries.name(value) or value)
    return str(value)


class Answer(models.Model):
    """One answer, to a registration question or in a survey response."""

    registration = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, null=True, related_name="answers"
    )
    response = models.ForeignKey(
        "events.SurveyResponse", on_delete=models.CASCADE, null=True, related_name="answers"
    )
    # The question may be edited or deleted later: the snapshot keeps the answer readable.
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, related_name="answers"
    )
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Question.Kind.choices)
    choices = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    value = models.JSONField(_("answer"), null=True)
    # The answer in words, for the attendee page, its filter and the CSV export.
    text = models.TextField(_("answer text"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(registration__isnull=False) & Q(response__isnull=True))
                | (Q(registration__isnull=True) & Q(response__isnull=False)),
                name="answer_to_registration_or_response",
            ),
            models.UniqueConstraint(
                fields=["registration", "question"],
                condition=Q(registration__isnull=False, question__isnull=False),
                name="answer_one_per_registration_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(response__isnull=False, question__isnull=False),
                name="answer_one_per_response_question",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.text}"

    @property
    def text_language(self):
        """The language of `text` when the portal wrote it (English words for choices,
        yes/no, countries, ratings), None for what people typed (any language)."""
        free = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)
        return None if self.kind in free else ORIGINAL


def add_question_fields(form, questions):
    """Add one field per question to a form instance."""
    for question in questions:
        form.fields[question.field_name] = question.form_field()


def answers_from(cleaned_data, questions, **owner):
    """Unsaved Answer rows for the questions answered in a valid form.

    Whatever the page's language, an answer keeps the English wording and the canonical
    value (and its words in English), so staff read, filter and export one vocabulary.
    """
    answers = []
    for question in questions:
        value = cleaned_data.get(question.field_name)
        if value is None or value == "" or value == []:
            continue
        with translation.override(ORIGINAL):
            text = text_of(question.kind, value)
        answers.append(
            Answer(
                question=question,
                label=getattr(question, f"label_{ORIGINAL}") or question.label,
                kind=question.kind,
                choices=list(question.choices),
                value=value,
                text=text,
                **owner,
            )
        )
    return answers
