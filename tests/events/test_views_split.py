"""Events' views are split by audience at one boundary (events/views/: public, participant,
guest, staff), and no view module imports another: shared pieces live in events/access.py
and the services."""

import ast
import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event
from tests.helpers import make_event

VIEWS = Path(__file__).resolve().parents[2] / "events" / "views"


def test_events_views_are_one_module_per_audience():
    assert {p.stem for p in VIEWS.glob("*.py")} == {
        "__init__",
        "public",
        "participant",
        "guest",
        "staff",
    }


@pytest.mark.parametrize("module", ["public", "participant", "guest", "staff"])
def test_no_view_module_imports_another(module):
    tree = ast.parse((VIEWS / f"{module}.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert not {name for name in imported if name.startswith("events.views")}


def test_a_refusal_that_says_why_shows_it_and_does_not_send_a_guest_to_sign_in(client, db):
    """A guest's link that is no key to the certificate: 403 with the reason, not the
    sign-in page (core.access.require(..., sign_in=False))."""
    event = make_event(
        registration_policy=Event.RegistrationPolicy.ANYONE,
        capacity=None,
        certificates_enabled=True,
    )
    registration = services.register(
        event=event, guest=services.Guest(name="N", email="n@x.org"), by=None
    )
    began = timezone.now() - datetime.timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(
        starts_at=began, ends_at=began + datetime.timedelta(hours=8)
    )
    url = reverse("events:certificate", args=[event.slug])
    response = client.get(url, {"r": registration.token})
    assert response.status_code == 403
    assert "Certificates are for participants who were checked in" in response.text
    # A visitor with no link is sent to sign in, as everywhere.
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
