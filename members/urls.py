from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("profile/edit/", views.edit_profile, name="edit_profile"),
    path("profile/data/", views.own_data, name="own_data"),
    path("profile/delete/", views.delete_account, name="delete_account"),
    path("members/", views.MemberListView.as_view(), name="list"),
    path("members/<slug:slug>/", views.MemberDetailView.as_view(), name="detail"),
    path("members/<slug:slug>/contact/", views.contact, name="contact"),
    path(
        "organizations/",
        views.OrganizationListView.as_view(),
        name="organizations",
    ),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization",
    ),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<slug:slug>/programs/new/", views.program_edit, name="program_create"),
    path(
        "organizations/<slug:slug>/programs/<slug:program_slug>/edit/",
        views.program_edit,
        name="program_edit",
    ),
    path(
        "organizations/<slug:slug>/programs/<slug:program_slug>/delete/",
        views.program_delete,
        name="program_delete",
    ),
]
