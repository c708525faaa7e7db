from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/emails/", views.set_notify, name="notify"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/requests/<int:membership_pk>/", views.decide, name="decide"),
    path("<slug:slug>/new/", views.start_thread, name="start_thread"),
    path("<slug:slug>/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/<int:pk>/", views.thread_detail, name="thread"),
    path("<slug:slug>/<int:pk>/reply/", views.reply, name="reply"),
    path("<slug:slug>/<int:pk>/move/", views.move_thread, name="move"),
    path("<slug:slug>/<int:pk>/<str:action>/", views.moderate_thread, name="moderate"),
    path("<slug:slug>/<int:pk>/posts/<int:post_pk>/edit/", views.edit_post, name="edit_post"),
    path("<slug:slug>/<int:pk>/posts/<int:post_pk>/report/", views.report_post, name="report"),
    path(
        "<slug:slug>/<int:pk>/posts/<int:post_pk>/<str:action>/",
        views.moderate_post,
        name="moderate_post",
    ),
]
