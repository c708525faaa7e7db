from django.urls import path

from events.views import guest, participant, public, staff

app_name = "events"
urlpatterns = [
    path("", public.EventListView.as_view(), name="list"),
    # Before "<slug>.ics" and "<slug>/": "feed" is not an event.
    path("feed.ics", public.feed_ics, name="feed"),
    path("<slug:slug>.ics", public.event_ics, name="ics"),
    path("<slug:slug>/", public.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/register/", guest.register, name="register"),
    path("<slug:slug>/registration/<str:token>/", guest.manage, name="guest_manage"),
    path(
        "<slug:slug>/registration/<str:token>/confirm/",
        guest.confirm,
        name="guest_confirm",
    ),
    path("<slug:slug>/registration/<str:token>/cancel/", guest.cancel, name="guest_cancel"),
    path(
        "<slug:slug>/registration/<str:token>/event.ics",
        guest.calendar,
        name="guest_ics",
    ),
    path("<slug:slug>/cancel/", participant.cancel, name="cancel"),
    path("<slug:slug>/survey/", participant.survey, name="survey"),
    path("<slug:slug>/certificate/", participant.certificate, name="certificate"),
    path("<slug:slug>/staff/settings/", staff.event_settings, name="staff_settings"),
    path("<slug:slug>/staff/questions/", staff.questions, name="questions"),
    path("<slug:slug>/staff/questions/<int:pk>/", staff.question_edit, name="question_edit"),
    path(
        "<slug:slug>/staff/questions/<int:pk>/delete/",
        staff.question_delete,
        name="question_delete",
    ),
    path("<slug:slug>/staff/invitations/", staff.invitations, name="invitations"),
    path("<slug:slug>/staff/survey/", staff.survey_results, name="survey_results"),
    path("<slug:slug>/staff/survey.csv", staff.survey_csv, name="survey_csv"),
    path("<slug:slug>/staff/survey/publish/", staff.survey_publish, name="survey_publish"),
    path(
        "<slug:slug>/staff/registrations/<int:pk>/certificate/revoke/",
        staff.certificate_revoke,
        name="certificate_revoke",
    ),
    path("<slug:slug>/staff/", staff.attendees, name="attendees"),
    path("<slug:slug>/staff/register/", staff.staff_register_member, name="staff_register"),
    path("<slug:slug>/staff/guest/", staff.staff_register_guest, name="staff_guest"),
    path("<slug:slug>/staff/import/", staff.import_csv, name="import"),
    path("<slug:slug>/staff/check-in/", staff.check_in_page, name="check_in_page"),
    path("<slug:slug>/staff/attendees.csv", staff.export_csv, name="export"),
    path("<slug:slug>/staff/sign-in-sheet/", staff.sign_in_sheet, name="sign_in_sheet"),
    path(
        "<slug:slug>/staff/registrations/<int:pk>/check-in/",
        staff.staff_check_in,
        name="check_in",
    ),
    path("<slug:slug>/staff/registrations/<int:pk>/no-show/", staff.staff_no_show, name="no_show"),
    path(
        "<slug:slug>/staff/registrations/<int:pk>/cancel/", staff.staff_cancel, name="staff_cancel"
    ),
]
