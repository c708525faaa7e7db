"""Data cache bumps tied to the models: every ORM write of a declaring model bumps its
namespaces when the transaction commits, and never after a rollback; no page or service
has to remember it (core/datacache.py, "Tied to the models")."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import F
from django.test.utils import isolate_apps
from django.urls import reverse
from taggit.models import Tag

from core import datacache
from events.models import Event, Registration, RegistrationPolicy
from members.models import Member, Organization, Program
from pages.models import (
    ContentBlock,
    ImpactIndicator,
    JourneyStage,
    Partner,
    ReadingList,
    ReadingListItem,
)
from resources.models import CaseStudy, Pathway, Resource
from tests.helpers import make_event, make_member, make_resource, make_user


class Rollback(Exception):
    pass


def organization():
    return Organization.objects.create(name="Qatar Foundation", slug="qatar-foundation")


def resource():
    return make_resource("Leading schools", slug="leading-schools")


def reading_list():
    return ReadingList.objects.create(key="panel-one", title="Panel one")


BUILDERS = {
    Organization: organization,
    Program: lambda: Program.objects.create(organization=organization(), name="ELL", slug="ell"),
    Member: lambda: make_member("pia@example.org", "Pia Public", country="FR"),
    Event: make_event,
    Registration: lambda: Registration.objects.create(
        event=make_event(),
        name="Gus Guest",
        email="gus@example.org",
        status=Registration.Status.CONFIRMED,
    ),
    Pathway: lambda: Pathway.objects.create(
        key=Pathway.Key.ADVOCACY, name="Advocacy", title="Advocacy", goal="g", actions="- a"
    ),
    Resource: resource,
    CaseStudy: lambda: CaseStudy.objects.create(resource=resource(), key_findings="Trust grew"),
    ContentBlock: lambda: ContentBlock.objects.create(key="tagline", body="Leaders learning"),
    ImpactIndicator: lambda: ImpactIndicator.objects.create(
        term=ImpactIndicator.Term.SHORT, order=1, text="More case studies"
    ),
    Partner: lambda: Partner.objects.create(name="WISE", kind=Partner.Kind.ORGANIZATION),
    JourneyStage: lambda: JourneyStage.objects.create(key="doha", name="Doha"),
    ReadingList: reading_list,
    ReadingListItem: lambda: ReadingListItem.objects.create(
        reading_list=reading_list(), resource=resource()
    ),
}


def a_field(model):
    """A plain column of the model, to write back its own value."""
    return next(
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.is_relation and f.name != "download_count"
    )


def test_every_declaring_model_is_tested():
    from django.apps import apps

    declaring = {m for m in apps.get_models() if getattr(m, "datacache_namespaces", ())}
    assert declaring == set(BUILDERS)


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m.__name__)
def test_each_write_bumps_the_models_namespaces_on_commit_and_a_rollback_does_not(
    transactional_db, model
):
    namespaces = model.datacache_namespaces
    others = [n for n in datacache.NAMESPACES if n not in namespaces]
    obj = BUILDERS[model]()
    field = a_field(model)

    def bumps(write):
        """The write, in a transaction: nothing moves before the commit, all after."""
        before = datacache.versions(namespaces)
        untouched = datacache.versions(others)
        with transaction.atomic():
            write()
            assert datacache.versions(namespaces) == before  # not before the commit
        after = datacache.versions(namespaces)
        assert all(a != b for a, b in zip(after, before, strict=True)), write
        assert datacache.versions(others) == untouched

    def rolled_back(write):
        before = datacache.versions(datacache.NAMESPACES)
        with pytest.raises(Rollback), transaction.atomic():
            write()
            raise Rollback
        assert datacache.versions(datacache.NAMESPACES) == before

    def update():
        value = getattr(obj, field.attname)
        assert model.objects.filter(pk=obj.pk).update(**{field.attname: value}) == 1

    def delete():
        pk = obj.pk
        obj.delete()
        obj.pk = pk

    def bulk_create():
        model.objects.bulk_create([obj])

    def bulk_update():
        model.objects.bulk_update([obj], [field.name])

    rolled_back(obj.save)
    bumps(obj.save)
    rolled_back(update)
    bumps(update)
    rolled_back(bulk_update)
    bumps(bulk_update)
    rolled_back(delete)
    bumps(delete)
    rolled_back(bulk_create)
    bumps(bulk_create)
    assert model.objects.filter(pk=obj.pk).exists()  # bulk_create put it back


def test_outside_a_transaction_the_write_bumps_at_once(transactional_db):
    event = make_event()
    before = datacache.versions(["events"])
    Event.objects.filter(pk=event.pk).update(capacity=F("capacity") + 1)
    assert datacache.versions(["events"]) != before


def test_a_savepoint_rolled_back_takes_its_bump_away(transactional_db):
    event = make_event()
    member = make_member("pia@example.org", "Pia Public")
    before = datacache.versions(["events", "members"])
    with transaction.atomic():
        member.save()
        with pytest.raises(Rollback), transaction.atomic():
            event.save()
            raise Rollback
    members_after, events_after = datacache.versions(["members", "events"])
    assert members_after != before[1]
    assert events_after == before[0]


def test_the_writer_reads_its_own_writes_and_others_keep_the_shared_entry(transactional_db):
    """Inside the writing transaction, figures are computed afresh (and kept there);
    the shared entry stays for every other worker until the commit."""
    make_event("one")
    figure = lambda: Event.objects.count()  # noqa: E731
    with transaction.atomic():
        assert datacache.cached(["events"], ("n",), figure) == 1  # no write yet: shared
    with transaction.atomic():
        make_event("two")
        assert datacache.cached(["events"], ("n",), figure) == 2
        make_event("three")
        assert datacache.cached(["events"], ("n",), figure) == 3  # every write turns over
    # The shared entry was never overwritten by the uncommitted figures.
    shared = datacache.key_for(["events"], ("n",))
    from django.core.cache import cache

    assert cache.get(shared)[1] == 1


def test_download_counters_do_not_bump_resources(transactional_db):
    item = resource()
    before = datacache.versions(["resources"])
    Resource.objects.filter(pk=item.pk).update(download_count=F("download_count") + 1)
    item.download_count = 5
    item.save(update_fields=["download_count"])
    assert datacache.versions(["resources"]) == before
    Resource.objects.filter(pk=item.pk).update(download_count=1, title="Leading well")
    assert datacache.versions(["resources"]) != before


def test_tags_bump_the_namespaces_that_show_them(transactional_db):
    member = make_member("pia@example.org", "Pia Public")
    before = datacache.versions(["members", "resources", "events"])
    member.expertise.add("equity")  # taggit's m2m_changed
    members, resources, events = datacache.versions(["members", "resources", "events"])
    assert members != before[0] and events == before[2]
    Tag.objects.filter(name="equity").update(name="Equity")  # no hooks on a foreign model's
    tag = Tag.objects.get(slug="equity")
    tag.name = "Equity and access"
    tag.save()
    after = datacache.versions(["members", "resources"])
    assert after[0] != members and after[1] != resources


def test_a_relation_changes_both_ends(transactional_db):
    stage = JourneyStage.objects.create(key="doha", name="Doha")
    event = make_event()
    before = datacache.versions(["site", "events"])
    stage.events.add(event)
    after = datacache.versions(["site", "events"])
    assert after[0] != before[0] and after[1] != before[1]


@isolate_apps("core")
def test_a_declaring_model_without_the_bumping_queryset_is_refused():
    class Figure(models.Model):  # noqa: DJ008
        datacache_namespaces = ("events",)

        class Meta:
            app_label = "core"

    with pytest.raises(ImproperlyConfigured, match="DataCacheQuerySet"):
        datacache.check_model(Figure)

    class Typo(models.Model):  # noqa: DJ008
        datacache_namespaces = ("event",)
        objects = datacache.DataCacheQuerySet.as_manager()

        class Meta:
            app_label = "core"

    with pytest.raises(ValueError, match="unknown"):
        datacache.check_model(Typo)


# Pages that write through the ORM and call nothing ---------------------------------------


def test_an_event_edited_on_the_staff_settings_page_shows_at_the_next_request(
    transactional_db, client
):
    event = make_event(registration_policy=RegistrationPolicy.ANYONE)
    staff = make_user("staff@example.org", "Event staff")
    client.force_login(staff)

    def figure():
        return datacache.cached(
            ["events"],
            ("policies",),
            lambda: list(Event.objects.values_list("registration_policy", flat=True)),
        )

    assert figure() == [RegistrationPolicy.ANYONE]
    assert figure() == [RegistrationPolicy.ANYONE]  # cached
    url = reverse("events:staff_settings", kwargs={"slug": event.slug})
    page = client.get(url)
    assert page.status_code == 200
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and name != "certificate_logo"
    }
    data["registration_policy"] = RegistrationPolicy.INVITED
    data["languages"] = event.languages
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    assert figure() == [RegistrationPolicy.INVITED]


def test_a_content_block_edited_in_the_back_office_shows_on_the_home_page(transactional_db, client):
    block = ContentBlock.objects.create(key="tagline", body_en="Leaders learning together")
    admin = make_user("boss@example.org", "Network admins", is_staff=True)
    client.force_login(admin)
    assert "Leaders learning together" in client.get(reverse("home")).content.decode()
    before = datacache.versions(["site"])
    url = reverse("admin:pages_contentblock_change", args=[block.pk])
    data = {
        "title_en": "",
        "title_fr": "",
        "title_ar": "",
        "title_es": "",
        "body_en": "Leaders changing schools",
        "body_fr": "",
        "body_ar": "",
        "body_es": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert datacache.versions(["site"]) != before
    home = client.get(reverse("home")).content.decode()
    assert "Leaders changing schools" in home
    assert "Leaders learning together" not in home
