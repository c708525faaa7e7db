import pytest
from django.core.management import call_command

from events.models import Event
from members.models import Member, Organization
from resources.models import Resource


@pytest.mark.django_db
def test_seed_demo_fills_clearly_fake_data_and_can_run_twice():
    for _ in range(2):
        call_command("seed_demo", members=60, resources=80, events=5)
    assert Member.objects.count() == 60
    assert Organization.objects.count() == 3
    assert Resource.objects.count() == 80
    assert Event.objects.count() == 5
    assert all(m.user.email.endswith("@example.org") for m in Member.objects.select_related("user"))
    assert all(r.topics.exists() for r in Resource.objects.all()[:10])


@pytest.mark.django_db
def test_seed_demo_dry_run_saves_nothing():
    call_command("seed_demo", members=10, dry_run=True)
    assert not Member.objects.exists()
