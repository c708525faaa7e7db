from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from events.models import Event


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
