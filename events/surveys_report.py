"""Survey results for event staff: counts per question, bar charts, the CSV export."""

from collections import Counter

from django.utils.translation import gettext as _
from django_countries import countries

from events.questions import Answer, Question, text_of

COUNTED = {
    Question.Kind.CHOICE,
    Question.Kind.CHOICES,
    Question.Kind.YES_NO,
    Question.Kind.COUNTRY,
    Question.Kind.RATING,
}
BAR_WIDTH = 200
ROW_HEIGHT = 24


def _options(kind, choices, values):
    """The rows of a chart, in a stable order: the question's own choices first."""
    if kind == Question.Kind.RATING:
        return [str(n) for n in range(1, 6)]
    if kind == Question.Kind.YES_NO:
        return [_("Yes"), _("No")]
    if kind in (Question.Kind.CHOICE, Question.Kind.CHOICES):
        return list(choices) + sorted(set(values) - set(choices))
    return sorted(values, key=lambda v: -values[v])


def results(event):
    """One entry per question answered (deleted questions too, under their old wording)."""
    answers = (
        Answer.objects.filter(response__event=event)
        .select_related("question")
        .order_by("question__order", "question_id", "pk")
    )
    grouped = {}
    for answer in answers:
        key = answer.question_id or ("deleted", answer.label, answer.kind)
        entry = grouped.setdefault(
            key,
            {
                # English, like the answers (their choices are the English values).
                "label": answer.question.label_en if answer.question else answer.label,
                "kind": answer.kind,
                "choices": answer.question.choices if answer.question else answer.choices,
                "counts": Counter(),
                "texts": [],
                "total": 0,
                "ratings": [],
            },
        )
        entry["total"] += 1
        if answer.kind not in COUNTED:
            entry["texts"].append(answer.text)
            continue
        if answer.kind == Question.Kind.CHOICES:
            entry["counts"].update(answer.value or [])
        elif answer.kind == Question.Kind.COUNTRY:
            entry["counts"][str(countries.name(answer.value) or answer.value)] += 1
        elif answer.kind == Question.Kind.RATING:
            entry["counts"][str(answer.value)] += 1
            entry["ratings"].append(int(answer.value))
        else:
            entry["counts"][text_of(answer.kind, answer.value)] += 1
    out = []
    for n, entry in enumerate(grouped.values()):
        if entry["kind"] in COUNTED:
            options = _options(entry["kind"], entry["choices"], entry["counts"])
            top = max(entry["counts"].values(), default=0) or 1
            entry["rows"] = [
                {
                    "label": option,
                    "count": entry["counts"].get(option, 0),
                    "width": round(BAR_WIDTH * entry["counts"].get(option, 0) / top),
                    "y": i * ROW_HEIGHT,
                    "text_y": i * ROW_HEIGHT + 16,
                }
                for i, option in enumerate(options)
            ]
            entry["height"] = max(len(options), 1) * ROW_HEIGHT
            if entry["ratings"]:
                entry["average"] = round(sum(entry["ratings"]) / len(entry["ratings"]), 1)
        entry["id"] = f"q{n}"
        out.append(entry)
    return out


def csv_rows(event):
    """Header, then one row per response; anonymous responses carry no name."""
    questions = list(event.questions.filter(form=Question.Form.SURVEY))
    yield (
        [_("Response"), _("Submitted on"), _("Name"), _("Email")]
        + [q.label_en for q in questions]
        + [_("Answers to deleted questions")]
    )
    responses = (
        event.survey_responses.select_related("registration")
        .prefetch_related("answers")
        .order_by("pk")
    )
    for number, response in enumerate(responses, 1):
        by_question = {a.question_id: a.text for a in response.answers.all() if a.question_id}
        orphans = "; ".join(
            f"{a.label}: {a.text}" for a in response.answers.all() if a.question_id is None
        )
        who = response.registration
        yield [
            number,
            response.submitted_on.isoformat(),
            who.name if who else _("(anonymous)"),
            who.email if who else "",
            *[by_question.get(q.pk, "") for q in questions],
            orphans,
        ]
