from django.urls import path

from communications import views

app_name = "communications"

urlpatterns = [
    path("announcements/", views.archive, name="archive"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
    path("events/<slug:slug>/staff/email/", views.event_email, name="event_email"),
]
