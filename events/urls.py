from django.urls import path

from allin_portal.caching import public_page_cache
from events import views

app_name = "events"
urlpatterns = [
    path("", public_page_cache(views.EventListView.as_view()), name="list"),
    # Before "<slug>.ics" and "<slug>/": "feed" is not an event.
    path("feed.ics", views.feed_ics, name="feed"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", public_page_cache(views.EventDetailView.as_view()), name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
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
