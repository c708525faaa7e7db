"""The network history loader: its facts, and running it twice changes nothing."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.serializers import serialize

from events.models import Event, Outcome
from members.models import Organization, Program
from pages.history import read_history
from pages.models import ContentBlock, Partner
from resources.models import Pathway, Resource


def snapshot():
    models = [
        m
        for app in ("pages", "events", "members", "resources", "taggit")
        for m in apps.get_app_config(app).get_models()
    ]
    return {m._meta.label: serialize("json", m.objects.order_by("pk")) for m in models}


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    call_command("load_network_history")
    before = snapshot()
    call_command("load_network_history")
    assert snapshot() == before
    call_command("load_network_history", "--update")
    assert snapshot() == before


@pytest.mark.django_db
def test_dry_run_saves_nothing():
    call_command("load_network_history", "--dry-run")
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_back_office_edits_survive_a_reload_but_not_an_update():
    call_command("load_network_history")
    Event.objects.filter(slug="paris-2019").update(summary="Edited by the secretariat")
    call_command("load_network_history")
    assert Event.objects.get(slug="paris-2019").summary == "Edited by the secretariat"
    call_command("load_network_history", "--update")
    assert Event.objects.get(slug="paris-2019").summary != "Edited by the secretariat"


@pytest.mark.django_db
def test_a_reload_fills_the_source_notes_a_database_loaded_before_them_lacks():
    call_command("load_network_history")
    Event.objects.update(source_note="")  # as loaded before the field existed
    Event.objects.filter(slug="paris-2019").update(source_note="Worded by the secretariat")
    call_command("load_network_history")
    assert "WISE 2017 summit" in Event.objects.get(slug="launch-wise-2017").source_note
    assert Event.objects.get(slug="paris-2019").source_note == "Worded by the secretariat"


def test_paris_working_session(history):
    paris = Event.objects.get(slug="paris-2019")
    assert paris.local_starts_at.date() == datetime.date(2019, 2, 20)
    assert (paris.reported_participants, paris.reported_countries) == (42, 14)
    assert [a.title for a in paris.agenda_items.all()] == [
        "State of the field: Cross Country Learning",
        "Innovative Case Studies of Leadership Development",
        "Progressing the Agenda: Collaborative Working Groups",
        "Case Study Group Meeting",
    ]
    people = {p.name: p.role for p in paris.people.all()}
    assert people["Dr. Asmaa Al-Fadala"] == "facilitator"
    assert people["Dr. Simon Breakspear"] == "facilitator"
    assert {"Beatriz Pont", "Darleen V. Opfer", "Anthony Mackay"} <= set(people)


def test_gatherings_dates_places_and_counts(history):
    accra = Event.objects.get(slug="accra-2018")
    assert accra.local_starts_at.date() == datetime.date(2018, 5, 9)
    assert (accra.city, accra.country.code, accra.host_forum) == ("Accra", "GH", "WISE@Accra")
    assert accra.reported_participants == 25

    new_york = Event.objects.get(slug="new-york-2018")
    # Two documents say 21 September, one says 22: the loader keeps the majority.
    assert new_york.local_starts_at.date() == datetime.date(2018, 9, 21)
    assert (new_york.reported_participants, new_york.reported_continents) == (25, 5)
    assert new_york.outcomes.filter(kind=Outcome.Kind.TAKEAWAY).count() == 4
    assert new_york.outcomes.filter(kind=Outcome.Kind.CONCLUSION).count() == 7

    doha = Event.objects.get(slug="doha-wise-2019")
    assert doha.reported_participants == 35 and doha.participants_at_least
    assert doha.outcomes.filter(kind=Outcome.Kind.DESIGN_CHALLENGE).count() == 2
    assert doha.outcomes.filter(kind=Outcome.Kind.NEXT_STEP).count() == 6

    launch = Event.objects.get(slug="launch-wise-2017")
    assert launch.when == "November 2017"
    assert launch.outcomes.filter(kind=Outcome.Kind.OBJECTIVE).count() == 4


def test_planned_postponed_and_living_lab_events(history):
    bogota = Event.objects.get(slug="bogota-wise-colombia-2020")
    assert bogota.status == Event.Status.POSTPONED
    assert Event.objects.get(slug="marrakech-icsei-2020").when == "January 2020"
    assert Event.objects.get(slug="salzburg-2020").when == "September 2020"
    assert Event.objects.get(slug="wise-2021-summit").when == "October 2021 – November 2021"
    panels = Event.objects.filter(series=Event.Series.LIVING_LAB).order_by("starts_at")
    assert [p.local_starts_at.date() for p in panels] == [
        datetime.date(2020, 12, 10),
        datetime.date(2021, 2, 16),
    ]


def test_discrepancies_are_recorded_in_the_data_file():
    subjects = " ".join(d["subject"] for d in read_history()["discrepancies"])
    assert "New York" in subjects


def test_strategy_partners_programs_and_resources(history):
    assert list(Pathway.objects.values_list("key", flat=True)) == [
        "research",
        "programs",
        "advocacy",
    ]
    assert ContentBlock.objects.get(key="mission").body.startswith("ALL-IN's mission")
    assert Partner.objects.filter(name="Salzburg Global Seminar").exists()
    ell = Program.objects.get(slug="empowering-leaders-of-learning")
    assert [c.code for c in ell.countries] == ["QA"]
    assert Organization.objects.filter(slug="wise").exists()
    titles = set(Resource.objects.values_list("title", flat=True))
    assert any("Global School Leaders" in t for t in titles)
    assert any("Improving School Leadership" in t for t in titles)
    assert all(Resource.objects.values_list("topics__name", flat=True))


# The history fixture copies rows loaded once per test database (tests/snapshot.py) ---------


def test_the_copied_history_is_what_the_loader_writes(history):
    copied = snapshot()
    assert Event.objects.exists() and Resource.objects.filter(topics__isnull=False).exists()
    call_command("load_network_history", "--update")  # rewrites any value that differs
    assert snapshot() == copied


def test_the_copy_finds_content_types_again_after_a_flush_renumbered_them(history_snapshot, db):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    def renumber(cursor, by):
        cursor.execute("UPDATE django_content_type SET id = id + %s", [by])
        ContentType.objects.clear_cache()

    # A transactional test's flush recreates the content types with new ids.
    with connection.cursor() as cursor:
        renumber(cursor, 100000)
        try:
            history_snapshot.copy()
            topics = {r["slug"]: set(r.get("topics", [])) for r in read_history()["resources"]}
            assert topics and any(topics.values())
            for resource in Resource.objects.all():
                assert set(resource.topics.names()) == topics[resource.slug]
        finally:  # the constraints are checked before the rollback: put the ids back
            cursor.execute("DELETE FROM taggit_taggeditem")
            renumber(cursor, -100000)
