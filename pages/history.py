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
from taggit.models import Tag

from core.content_translation import target_languages
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
from resources.models import AbstractTranslation, Pathway, Resource, TopicTranslation
from resources.services import derive_fields, update_search_vectors

DATA_FILE = Path(__file__).parent / "data" / "network_history.yaml"


def read_history(path=DATA_FILE):
    """The history, with its translations (the files `network_history.<code>.yaml` beside
    it, keyed like it) under "translations": {code: data}."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    data.setdefault("translations", read_translations(path))
    return data


def read_translations(path=DATA_FILE):
    found = {}
    for code in target_languages():
        file = path.with_name(f"{path.stem}.{code}{path.suffix}")
        if file.exists():
            with open(file, encoding="utf-8") as f:
                found[code] = yaml.safe_load(f) or {}
    return found


def numbered(items):
    """A list as the numbered Markdown lines a pathway's actions are stored as."""
    return "\n".join(f"{n}. {text}" for n, text in enumerate(items, start=1))


class Loader:
    def __init__(self, update, translations):
        self.update = update
        self.translations = translations or {}
        self.counts = {}

    def translated(self, section, key, fields, *, record=None):
        """{"title_fr": ..., ...}: the texts of one record in every translation file.

        `key` finds the record in the section (a mapping keyed like the English); `record`
        gives it directly (records known by position: indicators, agenda items, outcomes).
        """
        values = {}
        for code, data in self.translations.items():
            found = record(data) if record else (data.get(section) or {}).get(key)
            for field in fields:
                text = (found or {}).get(field)
                if isinstance(text, list):
                    text = numbered(text)
                if text and text.strip():
                    values[f"{field}_{code}"] = text.strip()
        return values

    def save_translated(self, model, lookup, values, translations):
        """`save`, then translations a record kept from an earlier load still lacks."""
        obj, written = self.save(model, lookup, {**values, **translations})
        if not written:
            self.fill_new_fields(obj, translations)
        return obj, written

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
    The translations (data["translations"]) go into the columns of their languages; a
    record kept from an earlier load gets the translations it still lacks.
    """
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return _load_history(data, update=update)


def _load_history(data, *, update):
    loader = Loader(update, data.get("translations"))
    for block in data["content_blocks"]:
        loader.save_translated(
            ContentBlock,
            {"key": block["key"]},
            {"title": block["title"], "body": block["body"].strip()},
            loader.translated("content_blocks", block["key"], ("title", "body")),
        )

    for pathway in data["pathways"]:
        actions = numbered(pathway["actions"])
        values = {
            k: pathway[k]
            for k in ("order", "name", "title", "summary_goal", "summary_action", "examples")
        }
        fields = ("name", "title", "goal", "actions", "summary_goal", "summary_action", "examples")
        loader.save_translated(
            Pathway,
            {"key": pathway["key"]},
            {**values, "goal": pathway["goal"].strip(), "actions": actions},
            loader.translated("pathways", pathway["key"], fields),
        )

    # Indicators are known by position: the translation files list them in the same order.
    positions = {id(i): n for n, i in enumerate(data["impact_indicators"])}
    for term in ImpactIndicator.Term.values:
        rows = [i for i in data["impact_indicators"] if i["term"] == term]
        for order, indicator in enumerate(rows, start=1):
            measures = {"measures": indicator.get("measures", [])}
            n = positions[id(indicator)]
            texts = {
                f"text_{code}": text.strip()
                for code, t in loader.translations.items()
                if (text := item_at(t.get("impact_indicators"), n))
            }
            obj, written = loader.save(
                ImpactIndicator,
                {"term": term, "order": order},
                {"text": indicator["text"].strip(), **measures, **texts},
            )
            if not written:
                loader.fill_new_fields(obj, {**measures, **texts})

    for order, partner in enumerate(data["partners"], start=1):
        values = {k: partner.get(k, "") for k in ("kind", "position", "affiliation", "description")}
        loader.save_translated(
            Partner,
            {"name": partner["name"]},
            {**values, "order": order},
            loader.translated("partners", partner["name"], ("position", "description")),
        )

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
        fields = ("title", "summary", "description", "participants_from", "source_note")
        texts = loader.translated("events", record["slug"], fields)
        event, written = loader.save_translated(Event, {"slug": record["slug"]}, values, texts)
        events[record["slug"]] = event
        if not written:
            loader.fill_new_fields(event, {"source_note": values["source_note"]})
        load_event_children(loader, event, record, written=written)

    for record in data.get("journey_stages", []):
        values = {k: record[k] for k in ("order", "name", "title")}
        values["narrative"] = (record.get("narrative") or "").strip()
        stage, written = loader.save_translated(
            JourneyStage,
            {"key": record["key"]},
            values,
            loader.translated("journey_stages", record["key"], ("name", "title", "narrative")),
        )
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
    resource_ids = {*resource_ids, *load_resource_translations(loader, data)}
    if resource_ids:
        update_search_vectors(ids=list(resource_ids))
    load_reading_lists(loader, data, events, resources=True)
    for record in data.get("working_groups", []):
        values = {k: record[k] for k in ("name", "started_on", "join_policy", "purpose")}
        values["description"] = (record.get("description") or "").strip()
        loader.save(WorkingGroup, {"slug": record["slug"]}, values)
    return loader.counts


def load_event_children(loader, event, record, *, written):
    """Agenda, people and outcomes, with their translations (listed in the same order).

    A rewritten event gets its rows replaced; an event kept as it was only gets the
    translations its rows still lack."""
    slug = record["slug"]

    def translated(section, n, fields):
        def find(data):
            return item_at(((data.get("events") or {}).get(slug) or {}).get(section), n)

        return loader.translated("events", slug, fields, record=find)

    agenda = [
        (
            {"title": a["title"], "description": a.get("description") or ""},
            translated("agenda", n, ("title", "description")),
        )
        for n, a in enumerate(record.get("agenda", []))
    ]
    people = [
        (
            {k: p.get(k) or "" for k in ("name", "role", "position", "organization")},
            translated("people", n, ("position",)),
        )
        for n, p in enumerate(record.get("people", []))
    ]
    outcomes = {kind: [] for kind in Outcome.Kind.values}
    for n, o in enumerate(record.get("outcomes", [])):
        # The translation files list an event's outcomes as plain texts.
        texts = {}
        for code, data in loader.translations.items():
            listed = ((data.get("events") or {}).get(slug) or {}).get("outcomes")
            text = item_at(listed, n)
            if text and text.strip():
                texts[f"text_{code}"] = text.strip()
        outcomes[o["kind"]].append(({"text": o["text"].strip()}, texts))
    groups = [(AgendaItem, agenda, {}), (EventPerson, people, {})]
    groups += [(Outcome, rows, {"kind": kind}) for kind, rows in outcomes.items()]
    for model, rows, scope in groups:
        if written:
            loader.replace_children(model, event, [{**v, **t} for v, t in rows], **scope)
            continue
        existing = {o.order: o for o in model.objects.filter(event=event, **scope)}
        for order, (_values, translations) in enumerate(rows, start=1):
            if order in existing:
                loader.fill_new_fields(existing[order], translations)


def load_resource_translations(loader, data):
    """Translated titles and abstracts (AbstractTranslation) and topic names
    (TopicTranslation); a translation kept from an earlier load keeps its edits unless
    updating. Returns the ids of the resources whose search vector must follow."""
    slugs = [record["slug"] for record in data["resources"]]
    resources = Resource.objects.in_bulk(slugs, field_name="slug")
    existing = {
        (t.resource_id, t.language): t
        for t in AbstractTranslation.objects.filter(resource__slug__in=slugs)
    }
    changed = set()
    for code, translations in loader.translations.items():
        for slug, texts in (translations.get("resources") or {}).items():
            resource = resources.get(slug)
            title = (texts.get("title") or "").strip()
            text = (texts.get("abstract") or "").strip()
            if resource is None or not text or resource.language == code:
                continue
            row = existing.get((resource.pk, code))
            if row is None:
                row = AbstractTranslation(resource=resource, language=code, title=title, text=text)
            elif loader.update and (row.title, row.text) != (title, text):
                row.title, row.text = title, text
            elif not loader.update and title and not row.title:
                row.title = title  # a title added after the abstract was translated
            else:
                continue
            row.save()
            changed.add(resource.pk)
            label = str(AbstractTranslation._meta.verbose_name_plural)
            loader.counts[label] = loader.counts.get(label, 0) + 1
        tags = Tag.objects.in_bulk(list(translations.get("topics") or {}), field_name="name")
        named = {
            t.tag_id: t
            for t in TopicTranslation.objects.filter(language=code, tag__in=tags.values())
        }
        for english, name in (translations.get("topics") or {}).items():
            tag = tags.get(english)
            if tag is None or not (name or "").strip():
                continue
            row = named.get(tag.pk)
            if row is not None and (not loader.update or row.name == name.strip()):
                continue
            row = row or TopicTranslation(tag=tag, language=code)
            row.name = name.strip()
            row.save()
            label = str(TopicTranslation._meta.verbose_name_plural)
            loader.counts[label] = loader.counts.get(label, 0) + 1
            changed.update(
                Resource.topics.through.objects.filter(
                    tag=tag, content_type__model="resource"
                ).values_list("object_id", flat=True)
            )
    return changed


def item_at(items, n):
    """The n-th item of a list that may be missing or shorter."""
    return items[n] if isinstance(items, list) and n < len(items) else None


def load_reading_lists(loader, data, events, *, resources=False):
    """The lists, then (once the resources exist) their entries, replaced when written."""
    for record in data.get("reading_lists", []):
        values = {
            "order": record["order"],
            "title": record["title"],
            "intro": (record.get("intro") or "").strip(),
        }
        if not resources:
            loader.save_translated(
                ReadingList,
                {"key": record["key"]},
                values,
                loader.translated("reading_lists", record["key"], ("title", "intro")),
            )
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
