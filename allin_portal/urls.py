from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from core import health, language, media
from events.views import participant as event_participants
from evidence.sitemaps import SITEMAPS
from imports import views as import_views
from pages import views

# The access policy: visitors refused a page sign in first; signed-in users get 403.
handler400 = "core.access.bad_request"
handler403 = "core.access.permission_denied"
handler500 = "core.access.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("journey/", views.journey, name="journey"),
    path("living-lab/", views.living_lab, name="living_lab"),
    path("contact/", views.contact, name="contact"),
    path("language/", language.set_language, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("imports/<uuid:pk>/", import_views.import_job, name="import_job"),
    path("", include("mail.urls")),
    path("", include("communications.urls")),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("evidence.urls")),
    path("events/", include("events.urls")),
    path("groups/", include("groups.urls")),
    path("certificates/<str:code>/", event_participants.verify, name="certificate_verify"),
    path("", include("resources.urls")),
    path("", include("members.urls")),
    path("accounts/", include("allauth.urls")),
    # The translators' pages, beside the back office (pages/translation_views.py).
    path("admin/translations/", include("pages.translation_urls")),
    path("admin/", admin.site.urls),
    # Public uploads (photos, logos); private files never live under MEDIA_ROOT.
    path("media/<path:path>", media.public_media, name="public_media"),
]
