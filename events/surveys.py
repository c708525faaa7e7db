"""Feedback surveys: who answered (once each) apart from what was answered.

A SurveySubmission records that a registration answered; the SurveyResponse holds the
answers and names the registration only when the participant did not ask to stay
anonymous. The two are written in the same transaction, so nothing on a submission may
order it: sequential ids or times would pair the n-th submission with the n-th response
(and its answers). A submission has a random id and only the day it was made, like the
response. (PostgreSQL's own bookkeeping, such as the transaction id that wrote a row,
still ties the two for whoever administers the database; no page or export shows it.)
"""

import secrets

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def random_id():
    return secrets.randbits(62) + 1


class SurveySubmission(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="survey_submission",
        verbose_name=_("registration"),
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate, editable=False)

    class Meta:
        verbose_name = _("survey submission")
        verbose_name_plural = _("survey submissions")

    def __str__(self):
        return str(self.registration)


class SurveyResponse(models.Model):
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("event"),
    )
    # None when the participant chose to stay anonymous.
    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_response",
        verbose_name=_("registration"),
    )
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        ordering = ["event", "submitted_on", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.event} – {self.submitted_on}"


def submit_survey(*, registration, answers, anonymous):
    """Answer once: the submission row is unique per registration (a second one fails)."""
    with transaction.atomic():
        SurveySubmission.objects.create(registration=registration)
        response = SurveyResponse.objects.create(
            event_id=registration.event_id,
            registration=None if anonymous else registration,
            submitted_on=timezone.localdate(),
        )
        for answer in answers:
            answer.response = response
        response.answers.model.objects.bulk_create(answers)
    return response
