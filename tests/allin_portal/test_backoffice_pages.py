"""Every back-office list, add and change page opens for a superuser (one record each)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tests.helpers import make_event, make_resource, make_user


@pytest.mark.django_db
def test_every_admin_page_opens(client):
    make_event(online_link="https://meet.example.org/summit")
    make_resource("A report", url="https://example.org/report")
    superuser = make_user("root@example.org", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    opened = []
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        pages = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(request):
            try:
                pages.append(reverse("admin:{}_{}_add".format(*info)))
            except NoReverseMatch:
                pass
        first = model_admin.get_queryset(request).first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        for page in pages:
            assert client.get(page).status_code == 200, page
            opened.append(page)
    resource_pages = [p for p in opened if p.startswith("/admin/resources/resource/")]
    assert len(resource_pages) == 3  # list, add, change (the URL field of each)
    assert reverse("admin:events_event_add") in opened
    assert len(opened) > 40
