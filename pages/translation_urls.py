from django.urls import path

from pages import translation_views

app_name = "translations"

urlpatterns = [
    path("", translation_views.index, name="index"),
    path("<str:code>/", translation_views.to_translate_list, name="list"),
    path("<str:code>/<str:kind>/<int:pk>/", translation_views.edit, name="edit"),
]
