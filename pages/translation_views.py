"""The translators' back office: what is left to translate per language, and one object's
English beside its translation (docs/languages.md).

Open to the `Translators` group and network admins (permission pages.translate_content).
The edit form holds the translation fields of one language only: the English and every other
field stay out of a translator's reach, whatever the request posts.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access import role_required
from core.content_translation import (
    CURRENT,
    OUTDATED,
    STATE_LABELS,
    base_language,
    confirm,
    kind_of,
    model_for_kind,
    state,
    target_languages,
    to_translate,
    translated_fields,
    workflow_models,
)

TRANSLATE = "pages.translate_content"


def _language(code):
    if code not in target_languages():
        raise Http404
    return code


def _kinds():
    return [(kind_of(m), str(m._meta.verbose_name_plural).capitalize()) for m in workflow_models()]


@require_safe
@role_required(TRANSLATE)
def index(request):
    return redirect("translations:list", code=target_languages()[0])


@require_safe
@role_required(TRANSLATE)
def to_translate_list(request, code):
    """The objects with a missing or outdated translation in `code`, by kind of content."""
    _language(code)
    kind = request.GET.get("kind", "")
    model = model_for_kind(kind) if kind else None
    if kind and model is None:
        kind = ""
    rows = [
        {
            "object": obj,
            "kind": kind_of(type(obj)),
            "kind_label": str(type(obj)._meta.verbose_name).capitalize(),
            "states": [(field, STATE_LABELS[s], s) for field, s in states.items() if s != CURRENT],
        }
        for obj, states in to_translate(code, [model] if model else None)
    ]
    return render(
        request,
        "pages/translations/list.html",
        {
            "code": code,
            "language_name": get_language_info(code)["name_translated"],
            "languages": [(c, get_language_info(c)["name_translated"]) for c in target_languages()],
            "kinds": _kinds(),
            "kind": kind,
            "rows": rows,
        },
    )


def translation_form(model, code, obj):
    """A form of the `code` columns of the translated fields, and nothing else."""
    outdated = [f for f in translated_fields(model) if state(obj, f, code) == OUTDATED]
    attrs = {}
    for field in translated_fields(model):
        source = model._meta.get_field(f"{field}_{code}")
        attrs[f"{field}_{code}"] = forms.CharField(
            label=str(source.verbose_name).capitalize(),
            required=False,
            max_length=source.max_length,
            widget=forms.Textarea(attrs={"rows": 3 if source.max_length else 8, "dir": "auto"}),
        )
        if field in outdated:
            attrs[f"{field}_confirm"] = forms.BooleanField(
                label=_("The English changed, but this translation still says the same"),
                required=False,
            )
    return type("TranslationForm", (forms.Form,), attrs)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(TRANSLATE)
def edit(request, code, kind, pk):
    """The English of each field beside its translation in `code` (and its state)."""
    _language(code)
    model = model_for_kind(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model._default_manager, pk=pk)
    Form = translation_form(model, code, obj)
    fields = translated_fields(model)
    initial = {f"{field}_{code}": getattr(obj, f"{field}_{code}") or "" for field in fields}
    form = Form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = model._default_manager.select_for_update().get(pk=obj.pk)
            for field in fields:
                setattr(obj, f"{field}_{code}", form.cleaned_data[f"{field}_{code}"].strip())
            # Saving stamps every translation whose own text changed; a confirmation
            # re-stamps an unchanged one against today's English.
            obj.save(update_fields=[f"{field}_{code}" for field in fields])
            confirmed = [f for f in fields if form.cleaned_data.get(f"{f}_confirm")]
            for field in confirmed:
                confirm(obj, field, code)
            if confirmed:
                obj.save(update_fields=["translation_sources"])
        messages.success(request, _("The translation is saved."))
        return redirect(f"{reverse('translations:list', args=[code])}?kind={kind}")
    rows = [
        {
            "english": getattr(obj, f"{field}_{base_language()}") or "",
            "field": form[f"{field}_{code}"],
            "confirm": form[f"{field}_confirm"] if f"{field}_confirm" in form.fields else None,
            "state": STATE_LABELS[state(obj, field, code)],
            "state_key": state(obj, field, code),
        }
        for field in fields
    ]
    return render(
        request,
        "pages/translations/edit.html",
        {
            "code": code,
            "language_name": get_language_info(code)["name_translated"],
            "direction": "rtl" if get_language_info(code)["bidi"] else "ltr",
            "object": obj,
            "kind": kind,
            "kind_label": str(model._meta.verbose_name).capitalize(),
            "form": form,
            "rows": rows,
        },
    )
