from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="list"),
    path("members/<slug:slug>/", views.MemberDetailView.as_view(), name="detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organizations"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization",
    ),
]
