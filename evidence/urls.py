from django.urls import path

from evidence import export, oai, views

app_name = "evidence"
urlpatterns = [
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/figures.csv", views.evidence_csv, name="figures_csv"),
    path("impact/", views.impact, name="impact"),
    path("oai", oai.endpoint, name="oai"),
    path("export/<str:kind>.json", export.records, name="export"),
]
