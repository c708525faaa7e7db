from django import forms
from django.core.files import File
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.params import parse_id
from members.models import Organization, Program
from resources.files import validate_pdf
from resources.models import PendingUpload, Resource


class CaseStudyForm(forms.Form):
    """A researcher's case study: the record, what was studied and found, and its PDF."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    authors = forms.CharField(
        label=_("Authors"), max_length=500, required=False, help_text=_("Separate names with ;")
    )
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    # Thousands of programs and organizations: a search field and the matches as choices,
    # found by the server (the "Find" button), so it works without JavaScript.
    program_q = forms.CharField(
        label=_("Find the program studied"),
        max_length=100,
        required=False,
        help_text=_("Part of its name or of its organization's name, then Find."),
    )
    program = forms.ModelChoiceField(
        label=_("Program studied"),
        queryset=Program.objects.all(),
        required=False,
        widget=forms.RadioSelect,
    )
    organization_q = forms.CharField(
        label=_("Find the provider organization"),
        max_length=100,
        required=False,
        help_text=_("Part of its name, then Find. Left empty: the program's organization."),
    )
    organization = forms.ModelChoiceField(
        label=_("Provider organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=forms.RadioSelect,
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
        label=_("Key findings"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    lessons = forms.CharField(
        label=_("Lessons for others"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    topics = forms.CharField(
        label=_("Topics"), required=False, help_text=_("Separate topics with commas")
    )
    access = forms.ChoiceField(
        label=_("Access"), choices=Resource.Access.choices, initial=Resource.Access.PUBLIC
    )
    file = forms.FileField(
        label=_("PDF file"), required=False, help_text=_("A PDF of at most 50 MB.")
    )

    pending_upload = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # A draft saves with any of these empty; submitting for review needs them.
    REQUIRED_TO_SUBMIT = ("title", "abstract", "key_findings", "file")

    def __init__(self, *args, case_study=None, user=None, **kwargs):
        self.case_study = case_study
        self.user = user
        self.pending = None  # the PendingUpload in use, if any
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
        self.submitting = self.is_bound and "submit" in self.data
        self.fields["file"].help_text = _("A PDF of at most %(mb)s MB.") % {"mb": _max_mb()}
        for name in self.REQUIRED_TO_SUBMIT:
            field = self.fields[name]
            field.label = format_lazy("{} {}", field.label, _("(required to submit)"))
            field.widget.attrs["aria-required"] = "true"
        if self.is_bound and user is not None:
            pk = parse_id(self.data.get("pending_upload"))
            if pk is not None:
                self.pending = PendingUpload.objects.filter(user=user, pk=pk).first()
        self._offer("program", _program_matches)
        self._offer("organization", _organization_matches)

    SEARCH_LIMIT = 20

    def _offer(self, name, matches):
        """Show as choices: none, the current choice, and what the search field finds."""
        query = " ".join(str(self[f"{name}_q"].value() or "").replace("\x00", "").split())[:100]
        current = str(self[name].value() or "")
        if parse_id(current) is None:  # a primary key, or nothing
            current = ""
        queryset = self.fields[name].queryset
        found = list(matches(queryset, query)[: self.SEARCH_LIMIT]) if query else []
        if current and all(str(o.pk) != current for o in found):
            found = list(queryset.filter(pk=current)) + found
        self.fields[name].widget.choices = [("", _("Not chosen"))] + [
            (o.pk, _label(o)) for o in found
        ]
        if query and len(found) == 0:
            # The bound field copied the help text when `self[name]` was first read.
            self[name].help_text = _("Nothing matches “%(q)s”.") % {"q": query}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_pdf(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not self.submitting:
            return data
        for name in ("title", "abstract", "key_findings"):
            if name in data and not data[name].strip():
                self.add_error(name, _("Fill this in to submit; a draft may leave it empty."))
        has_file = (
            data.get("file")
            or self.pending
            or (self.case_study is not None and self.case_study.resource.file)
        )
        if "file" not in self.errors and not has_file:
            self.add_error("file", _("Attach the case study as a PDF."))
        return data

    def keep_upload(self, data=None, files=None):
        """After a failed save (or a "Find", with the unbound form and the posted `data` and
        `files`): keep a checked PDF for this user, so it need not be chosen again. The form
        then shows it by name; choosing another file replaces it."""
        if self.user is None:
            return
        if data is not None:  # unbound after "Find": check what was posted here
            pk = parse_id(data.get("pending_upload"))
            if pk is not None:
                self.pending = PendingUpload.objects.filter(user=self.user, pk=pk).first()
            upload = files.get("file") if files else None
            if upload:
                try:
                    validate_pdf(upload)
                except forms.ValidationError:
                    upload = None
        else:
            upload = getattr(self, "cleaned_data", {}).get("file")
            if "file" in self.errors:
                upload = None
        if upload:
            upload.seek(0)
            pending = PendingUpload(
                user=self.user, original_name=(upload.name or "")[-255:], size=upload.size
            )
            pending.file.save("upload.pdf", upload, save=False)
            pending.save()
            if self.pending is not None:
                self.pending.file.delete(save=False)
                self.pending.delete()
            self.pending = pending
        if self.pending is None:
            return
        if self.is_bound:
            self.data = self.data.copy()
            self.data["pending_upload"] = str(self.pending.pk)
        else:
            self.initial["pending_upload"] = self.pending.pk

    def chosen_file(self):
        """The new PDF to attach: the one just uploaded, else the one kept, else None."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload
        if self.pending is not None:
            return File(self.pending.file.open("rb"), name=self.pending.original_name)
        return None

    def forget_pending(self):
        if self.pending is not None:
            self.pending.file.close()
            self.pending.file.delete(save=False)
            self.pending.delete()
            self.pending = None

    def clean_topics(self):
        return [t.strip() for t in self.cleaned_data["topics"].split(",") if t.strip()][:20]

    def apply(self, case_study, resource):
        """Copy the cleaned data onto unsaved objects."""
        data = self.cleaned_data
        for name in ("title", "authors", "abstract", "access"):
            setattr(resource, name, data[name])
        resource.title = resource.title.strip() or _("Untitled case study")
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


def _program_matches(queryset, query):
    from django.db.models import Q

    return (
        queryset.filter(Q(name__icontains=query) | Q(organization__name__icontains=query))
        .select_related("organization")
        .order_by("name", "pk")
    )


def _organization_matches(queryset, query):
    return queryset.filter(name__icontains=query).order_by("name", "pk")


def _label(choice):
    if isinstance(choice, Program):
        return f"{choice.name} ({choice.organization.name})"
    return choice.name


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
