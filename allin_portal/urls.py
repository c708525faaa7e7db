from django.contrib import admin
from django.urls import include, path

from allin_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("journey/", views.journey, name="journey"),
    path("living-lab/", views.living_lab, name="living_lab"),
    path("contact/", views.contact, name="contact"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("events/", include("events.urls")),
    path("", include("resources.urls")),
    path("", include("members.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
