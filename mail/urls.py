from django.urls import path

from mail import views

app_name = "mail"

urlpatterns = [
    path("account/preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
