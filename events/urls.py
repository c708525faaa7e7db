from django.urls import path

from events import guest_views, participant_views, staff_views, views

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    # Before "<slug>.ics" and "<slug>/": "feed" is not an event.
    path("feed.ics", views.feed_ics, name="feed"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/register/", guest_views.register, name="register"),
    path("<slug:slug>/registration/<str:token>/", guest_views.manage, name="guest_manage"),
    path(
        "<slug:slug>/registration/<str:token>/confirm/",
        guest_views.confirm,
        name="guest_confirm",
    ),
    path("<slug:slug>/registration/<str:token>/cancel/", guest_views.cancel, name="guest_cancel"),
    path(
        "<slug:slug>/registration/<str:token>/event.ics",
        guest_views.calendar,
        name="guest_ics",
    ),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/survey/", participant_views.survey, name="survey"),
    path("<slug:slug>/certificate/", participant_views.certificate, name="certificate"),
    path("<slug:slug>/staff/settings/", staff_views.event_settings, name="staff_settings"),
    path("<slug:slug>/staff/questions/", staff_views.questions, name="questions"),
    path("<slug:slug>/staff/questions/<int:pk>/", staff_views.question_edit, name="question_edit"),
    path(
        "<slug:slug>/staff/questions/<int:pk>/delete/",
        staff_views.question_delete,
        name="question_delete",
    ),
    path("<slug:slug>/staff/invitations/", staff_views.invitations, name="invitations"),
    path("<slug:slug>/staff/survey/", staff_views.survey_results, name="survey_results"),
    path("<slug:slug>/staff/survey.csv", staff_views.survey_csv, name="survey_csv"),
    path("<slug:slug>/staff/survey/publish/", staff_views.survey_publish, name="survey_publish"),
    path(
        "<slug:slug>/staff/registrations/<int:pk>/certificate/revoke/",
        staff_views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("<slug:slug>/staff/", views.attendees, name="attendees"),
    path("<slug:slug>/staff/register/", views.staff_register_member, name="staff_register"),
    path("<slug:slug>/staff/guest/", views.staff_register_guest, name="staff_guest"),
    path("<slug:slug>/staff/import/", views.import_csv, name="import"),
    path("<slug:slug>/staff/check-in/", views.check_in_page, name="check_in_page"),
    path("<slug:slug>/staff/attendees.csv", views.export_csv, name="export"),
    path("<slug:slug>/staff/sign-in-sheet/", views.sign_in_sheet, name="sign_in_sheet"),
    path(
        "<slug:slug>/staff/registrations/<int:pk>/check-in/",
        views.staff_check_in,
        name="check_in",
    ),
    path("<slug:slug>/staff/registrations/<int:pk>/no-show/", views.staff_no_show, name="no_show"),
    path(
        "<slug:slug>/staff/registrations/<int:pk>/cancel/", views.staff_cancel, name="staff_cancel"
    ),
]
