"""Feedback surveys: who answered (once each) apart from what was answered.

A SurveySubmission records that a registration answered; the SurveyResponse holds the
answers and names the registration only when the participant did not ask to stay
anonymous. An anonymous response carries only the day it was given, so it cannot be
matched to its submission by time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveySubmission(models.Model):
    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="survey_submission",
        verbose_name=_("registration"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

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
