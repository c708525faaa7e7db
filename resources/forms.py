from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from members.models import Organization, Program
from resources.files import validate_pdf
from resources.models import Resource


class CaseStudyForm(forms.Form):
    """A researcher's case study: the record, what was studied and found, and its PDF."""

    title = forms.CharField(label=_("Title"), max_length=300)
    authors = forms.CharField(
        label=_("Authors"), max_length=500, required=False, help_text=_("Separate names with ;")
    )
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 5}))
    program = forms.ModelChoiceField(
        label=_("Program studied"), queryset=Program.objects.all(), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("Provider organization"), queryset=Organization.objects.all(), required=False
    )
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "—"), *countries], required=False
    )
    research_questions = forms.CharField(
        label=_("Research questions"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    methods = forms.CharField(
        label=_("Methods"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    key_findings = forms.CharField(
        label=_("Key findings"), widget=forms.Textarea(attrs={"rows": 5})
    )
    lessons = forms.CharField(
        label=_("Lessons for others"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    topics = forms.CharField(
        label=_("Topics"), required=False, help_text=_("Separate topics with commas")
    )
    access = forms.ChoiceField(label=_("Access"), choices=Resource.Access.choices)
    file = forms.FileField(
        label=_("PDF file"), required=False, help_text=_("A PDF of at most 50 MB.")
    )

    def __init__(self, *args, case_study=None, **kwargs):
        self.case_study = case_study
        if case_study is not None and "initial" not in kwargs:
            resource = case_study.resource
            kwargs["initial"] = {
                "title": resource.title,
                "authors": resource.authors,
                "abstract": resource.abstract,
                "program": case_study.program_id,
                "organization": case_study.organization_id,
                "country": case_study.country.code or "",
                "research_questions": case_study.research_questions,
                "methods": case_study.methods,
                "key_findings": case_study.key_findings,
                "lessons": case_study.lessons,
                "topics": ", ".join(t.name for t in resource.topics.all()),
                "access": resource.access,
            }
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF of at most %(mb)s MB.") % {"mb": _max_mb()}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_pdf(upload)
        elif self.case_study is None or not self.case_study.resource.file:
            raise forms.ValidationError(_("Attach the case study as a PDF."))
        return upload

    def clean_topics(self):
        return [t.strip() for t in self.cleaned_data["topics"].split(",") if t.strip()][:20]

    def apply(self, case_study, resource):
        """Copy the cleaned data onto unsaved objects."""
        data = self.cleaned_data
        for name in ("title", "authors", "abstract", "access"):
            setattr(resource, name, data[name])
        resource.countries = [data["country"]] if data["country"] else []
        for name in (
            "program",
            "organization",
            "country",
            "research_questions",
            "methods",
            "key_findings",
            "lessons",
        ):
            setattr(case_study, name, data[name])
        if case_study.organization is None and case_study.program is not None:
            case_study.organization = case_study.program.organization
        resource.publisher = str(case_study.organization or "")


def _max_mb():
    from django.conf import settings

    return f"{settings.RESOURCE_MAX_UPLOAD_BYTES / 1024 / 1024:g}"


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
