from django.urls import path

from resources import views

app_name = "resources"
urlpatterns = [
    path("resources/", views.ResourceListView.as_view(), name="list"),
    path("resources/feed/", views.NewResourcesFeed(), name="feed"),
    path("resources/export.<str:fmt>", views.export, name="export"),
    path(
        "resources/<slug:slug>/",
        views.ResourceDetailView.as_view(),
        name="detail",
    ),
    path("resources/<slug:slug>/download/", views.download, name="download"),
    path("resources/<slug:slug>/versions/<int:number>/", views.download, name="download_version"),
    path("resources/<slug:slug>/cite.<str:fmt>", views.cite, name="cite"),
    path("case-studies/", views.CaseStudyListView.as_view(), name="case_studies"),
    path("case-studies/new/", views.case_study_create, name="case_study_create"),
    path("case-studies/mine/", views.MyCaseStudiesView.as_view(), name="case_study_mine"),
    path("case-studies/review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path(
        "case-studies/<slug:slug>/",
        views.CaseStudyDetailView.as_view(),
        name="case_study",
    ),
    path("case-studies/<slug:slug>/edit/", views.case_study_edit, name="case_study_edit"),
    path(
        "case-studies/<slug:slug>/<str:action>/",
        views.case_study_action,
        name="case_study_action",
    ),
]
