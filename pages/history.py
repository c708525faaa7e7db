"""Load the network's history (pages/data/network_history.yaml).

Records are matched by their natural key (slug, key or name). A record that
exists is left as it is, so edits made in the back office survive the next
`make run`; `update=True` rewrites records (and their agenda, people and
outcomes) from the file.
"""

import calendar
import datetime
import zoneinfo
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import translation

from events.models import AgendaItem, Event, EventPerson, Outcome
from groups.models import WorkingGroup
from members.models import Organization, Program
from pages.models import (
    ContentBlock,
    ImpactIndicator,
    JourneyStage,
    Partner,
    ReadingList,
    ReadingListItem,
)
from resources.models import Pathway, Resource
from resources.services import derive_fields, update_search_vectors

DATA_FILE = Path(__file__).parent / "data" / "network_history.yaml"


def read_history(path=DATA_FILE):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


class Loader:
    def __init__(self, update):
        self.update = update
        self.counts = {}

    def save(self, model, lookup, values):
        """Create the record, or rewrite it when updating. Returns (obj, written)."""
        label = model._meta.verbose_name_plural
        obj = model.objects.filter(**lookup).first()
        if obj is not None and not self.update:
            return obj, False
        if obj is None:
            obj = model(**lookup)
        changed = obj.pk is None or any(getattr(obj, k) != v for k, v in values.items())
        for field, value in values.items():
            setattr(obj, field, value)
        if changed:
            obj.full_clean()
            obj.save()
            self.counts[str(label)] = self.counts.get(str(label), 0) + 1
        return obj, True

    def fill_new_fields(self, obj, values):
        """Fields added after a record was first loaded: set them where still empty, so a
        database loaded before they existed gets them without `--update` (edits survive)."""
        empty = {k: v for k, v in values.items() if v and not getattr(obj, k)}
        if empty and not self.update:
            for field, value in empty.items():
                setattr(obj, field, value)
            obj.save(update_fields=list(empty))
            label = str(obj._meta.verbose_name_plural)
            self.counts[label] = self.counts.get(label, 0) + 1

    def replace_children(self, model, event, rows, **scope):
        """Make the event's rows of `model` (within `scope`) exactly `rows`, by position."""
        for order, values in enumerate(rows, start=1):
            self.save(model, {"event": event, "order": order, **scope}, values)
        model.objects.filter(event=event, order__gt=len(rows), **scope).delete()


def event_times(record):
    """Start and end instants of a gathering known by day or by month."""
    tz = zoneinfo.ZoneInfo(record["timezone"])
    start, end = record["start"], record["end"]
    if record["date_precision"] == Event.DatePrecision.MONTH:
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    starts_at = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    ends_at = datetime.datetime.combine(end, datetime.time(23, 59, 59), tzinfo=tz)
    return starts_at, ends_at


@transaction.atomic
def load_history(data, *, update=False):
    """Load `data` (as read from the YAML file); returns {model: rows written}.

    The history is English: its texts go into the English columns of the translated fields
    (django-modeltranslation writes to the active language's), whatever language is active.
    """
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return _load_history(data, update=update)


def _load_history(data, *, update):
    loader = Loader(update)
    for block in data["content_blocks"]:
        loader.save(
            ContentBlock,
            {"key": block["key"]},
            {"title": block["title"], "body": block["body"].strip()},
        )

    for pathway in data["pathways"]:
        actions = "\n".join(f"{n}. {text}" for n, text in enumerate(pathway["actions"], start=1))
        values = {
            k: pathway[k]
            for k in ("order", "name", "title", "summary_goal", "summary_action", "examples")
        }
        loader.save(
            Pathway,
            {"key": pathway["key"]},
            {**values, "goal": pathway["goal"].strip(), "actions": actions},
        )

    for term in ImpactIndicator.Term.values:
        rows = [i for i in data["impact_indicators"] if i["term"] == term]
        for order, indicator in enumerate(rows, start=1):
            measures = {"measures": indicator.get("measures", [])}
            obj, written = loader.save(
                ImpactIndicator,
                {"term": term, "order": order},
                {"text": indicator["text"].strip(), **measures},
            )
            if not written:
                loader.fill_new_fields(obj, measures)

    for order, partner in enumerate(data["partners"], start=1):
        values = {k: partner.get(k, "") for k in ("kind", "position", "affiliation", "description")}
        loader.save(Partner, {"name": partner["name"]}, {**values, "order": order})

    organizations = {}
    for org in data["organizations"]:
        values = {k: org.get(k) or "" for k in ("name", "type", "country", "website")}
        values["description"] = (org.get("description") or "").strip()
        organizations[org["slug"]], _ = loader.save(Organization, {"slug": org["slug"]}, values)

    for program in data["programs"]:
        values = {
            "name": program["name"],
            "organization": organizations[program["organization"]],
            "countries": program.get("countries", []),
            "audience": program.get("audience", ""),
            "description": program["description"].strip(),
            "featured": True,  # the network's own programs, shown on the About page
        }
        loader.save(Program, {"slug": program["slug"]}, values)

    events = {}
    for record in data["events"]:
        starts_at, ends_at = event_times(record)
        values = {
            k: record.get(k) or ""
            for k in (
                "title",
                "series",
                "host_forum",
                "format",
                "city",
                "country",
                "venue",
                "timezone",
                "date_precision",
                "status",
                "summary",
                "participants_from",
                "note",
                "source_note",
            )
        }
        values.update(
            {
                "description": (record.get("description") or "").strip(),
                "starts_at": starts_at,
                "ends_at": ends_at,
                "reported_participants": record.get("reported_participants"),
                "participants_at_least": bool(record.get("participants_at_least")),
                "reported_countries": record.get("reported_countries"),
                "reported_continents": record.get("reported_continents"),
            }
        )
        # Registration settings, for gatherings announced in the file (optional keys).
        for key in (
            "online_link",
            "capacity",
            "guests_allowed",
            "registration_opens",
            "registration_closes",
        ):
            if key in record:
                values[key] = record[key]
        event, written = loader.save(Event, {"slug": record["slug"]}, values)
        events[record["slug"]] = event
        if not written:
            loader.fill_new_fields(event, {"source_note": values["source_note"]})
            continue
        loader.replace_children(
            AgendaItem,
            event,
            [
                {"title": a["title"], "description": a.get("description") or ""}
                for a in record.get("agenda", [])
            ],
        )
        loader.replace_children(
            EventPerson,
            event,
            [
                {k: p.get(k) or "" for k in ("name", "role", "position", "organization")}
                for p in record.get("people", [])
            ],
        )
        for kind in Outcome.Kind.values:
            texts = [o["text"].strip() for o in record.get("outcomes", []) if o["kind"] == kind]
            loader.replace_children(Outcome, event, [{"text": t} for t in texts], kind=kind)

    for record in data.get("journey_stages", []):
        values = {k: record[k] for k in ("order", "name", "title")}
        values["narrative"] = (record.get("narrative") or "").strip()
        stage, written = loader.save(JourneyStage, {"key": record["key"]}, values)
        if written:
            stage.events.set([events[slug] for slug in record.get("events", [])])
    load_reading_lists(loader, data, events)

    resource_ids = []
    for record in data["resources"]:
        values = {
            k: record.get(k) or ""
            for k in (
                "title",
                "type",
                "authors",
                "publisher",
                "language",
                "pathway",
                "access",
                "url",
            )
        }
        values["abstract"] = (record.get("abstract") or "").strip()
        values["publication_year"] = record.get("year")
        values["related_event"] = events.get(record.get("related_event") or "")
        values["countries"] = record.get("countries") or []
        values["publication_date"] = record.get("publication_date")
        resource, written = loader.save(Resource, {"slug": record["slug"]}, values)
        if written and set(resource.topics.names()) != set(record.get("topics", [])):
            resource.topics.set(record.get("topics", []))
        if written:
            resource_ids.append(resource.pk)
    if resource_ids:
        # Derived facet fields and the search vector, as services.save_resource keeps them.
        for resource in Resource.objects.filter(pk__in=resource_ids):
            derive_fields(resource)
            resource.save(
                update_fields=["country_codes", "regions", "oecd_coverage", "publication_year"]
            )
        update_search_vectors(ids=resource_ids)
    load_reading_lists(loader, data, events, resources=True)
    for record in data.get("working_groups", []):
        values = {k: record[k] for k in ("name", "started_on", "join_policy", "purpose")}
        values["description"] = (record.get("description") or "").strip()
        loader.save(WorkingGroup, {"slug": record["slug"]}, values)
    return loader.counts


def load_reading_lists(loader, data, events, *, resources=False):
    """The lists, then (once the resources exist) their entries, replaced when written."""
    for record in data.get("reading_lists", []):
        values = {
            "order": record["order"],
            "title": record["title"],
            "intro": (record.get("intro") or "").strip(),
        }
        if not resources:
            loader.save(ReadingList, {"key": record["key"]}, values)
            continue
        reading_list = ReadingList.objects.get(key=record["key"])
        existing = list(reading_list.items.values_list("resource__slug", "event__slug"))
        if existing and not loader.update:
            continue
        wanted = [(slug, None) for slug in record.get("resources", [])]
        wanted += [(None, slug) for slug in record.get("events", [])]
        if existing == wanted:
            continue
        found = Resource.objects.in_bulk(record.get("resources", []), field_name="slug")
        targets = [{"resource": found[slug]} for slug in record.get("resources", [])]
        targets += [{"event": events[slug]} for slug in record.get("events", [])]
        reading_list.items.all().delete()
        label = str(ReadingListItem._meta.verbose_name_plural)
        loader.counts[label] = loader.counts.get(label, 0) + len(targets)
        ReadingListItem.objects.bulk_create(
            ReadingListItem(reading_list=reading_list, order=n, **target)
            for n, target in enumerate(targets, start=1)
        )
