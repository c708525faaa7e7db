"""No page scrolls sideways on a 360 px phone, for any of the portal's users, even where people
typed a word or an address longer than the screen is wide."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from communications.models import Announcement
from events import services as event_services
from members.models import Organization, Program
from resources import services as resource_services
from tests.helpers import (
    make_case_study,
    make_event,
    make_member,
    make_member_user,
    make_resource,
    make_user,
)

# What people type without a space: a 65-letter word and a long address (both wider than 360 px).
WORD = "Schulleitungsfortbildungsprogrammevaluationsabschlussberichtsentwurf"
URL = "https://repository.example.org/handle/20.500.12345/school-leadership-evaluation-2024.pdf"
LONG = f"{WORD} {URL}"

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1
            && !e.closest('.table-wrap table') && !e.closest('.chart-wrap svg'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


def sign_in_as(page, live_server, user):
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def world(transactional_db, history):
    event = make_event(
        capacity=3,
        guests_allowed=True,
        title=f"{WORD} summit",
        venue=WORD,
        summary=LONG,
        description=f"Programme: {URL}\n\n{WORD}",
    )
    staff = make_user("staff@example.org", "Event staff")
    # A long name and organization, on the sign-in sheet too.
    guest = event_services.Guest(
        name=f"Maria Fernanda {WORD}",
        email="maria.fernanda@example.net",
        organization=f"Secretaría de Educación {WORD}",
        country="MX",
    )
    event_services.register(event=event, guest=guest, by=staff)
    for n in range(1, 5):
        event_services.register(event=event, user=make_member_user(n), listed=True)
    researcher = make_user("rita@example.org", "Researchers", first_name="Rita")
    admin = make_user("admin@example.org", "Network admins", is_staff=True)
    case_study = make_case_study(researcher, title=f"{WORD} case study", findings=LONG)
    resource_services.transition(case_study=case_study, action="submit", by=researcher)
    published = make_case_study(researcher, title=f"Published {WORD}", findings=LONG)
    published.resource.abstract = LONG
    published.resource.save(update_fields=["abstract"])
    resource_services.transition(case_study=published, action="submit", by=researcher)
    resource_services.transition(case_study=published, action="publish", by=admin)
    resource = make_resource(
        f"{WORD} report",
        abstract=LONG,
        authors=WORD,
        publisher=WORD,
        url=URL,
        topics=[WORD],
    )
    organization = Organization.objects.create(
        name=f"{WORD} Institute", slug="long-institute", website=URL, description=LONG
    )
    Program.objects.create(
        organization=organization,
        name=f"{WORD} programme",
        slug="long-programme",
        audience=WORD,
        description=LONG,
        evidence=URL,
    )
    member = make_member(
        "long@example.org",
        f"Maria Fernanda {WORD}",
        position=f"Directora de {WORD}",
        organization=organization,
        bio=LONG,
        website=URL,
    )
    reader = make_member_user(9)
    announcement = Announcement.objects.create(
        subject=f"{WORD} announcement",
        body=LONG,
        statuses=["approved"],
        state=Announcement.State.QUEUED,
    )
    Announcement.objects.filter(pk=announcement.pk).update(queued_at=announcement.created_at)
    announcement.readers.add(reader)
    return {
        "event": event,
        "case_study": case_study,
        "published": published,
        "resource": resource,
        "organization": organization,
        "announcement": announcement,
        "member": member,
        "users": {
            "visitor": None,
            "member": reader,
            "staff": staff,
            "researcher": researcher,
            "admin": admin,
        },
    }


def pages_for(role, world):
    slug = world["event"].slug
    cs = world["case_study"].resource.slug
    common = [
        reverse("home"),
        reverse("about"),
        reverse("journey"),
        reverse("living_lab"),
        reverse("events:list"),
        world["event"].get_absolute_url(),
        reverse("members:list"),
        reverse("members:list") + "?" + urlencode({"q": WORD}),
        world["member"].get_absolute_url(),
        reverse("members:organizations"),
        world["organization"].get_absolute_url(),
        reverse("resources:list"),
        reverse("resources:list") + "?" + urlencode({"q": WORD}),
        world["resource"].get_absolute_url(),
        reverse("resources:case_studies"),
        world["published"].resource.get_absolute_url(),
        reverse("evidence:evidence"),
        reverse("evidence:impact"),
        reverse("account_login") if role == "visitor" else reverse("account_email"),
    ]
    extra = {
        "visitor": [reverse("account_signup")],
        "member": [
            reverse("members:edit_profile"),
            reverse("communications:archive"),
            reverse("communications:announcement", args=[world["announcement"].pk]),
        ],
        "staff": [
            reverse("events:attendees", kwargs={"slug": slug}),
            reverse("events:check_in_page", kwargs={"slug": slug}),
            reverse("events:import", kwargs={"slug": slug}),
            reverse("events:invitations", kwargs={"slug": slug}),
            reverse("events:sign_in_sheet", kwargs={"slug": slug}),
        ],
        "researcher": [
            reverse("resources:case_study_create"),
            reverse("resources:case_study_mine"),
            reverse("resources:case_study", kwargs={"slug": cs}),
        ],
        "admin": [
            reverse("resources:review_queue"),
            reverse("admin:index"),
            reverse("admin:members_member_changelist"),
            member_record(world),
        ],
    }
    return common + extra[role]


def event_page(world):
    return world["event"].get_absolute_url()


def attendees(world):
    return reverse("events:attendees", kwargs={"slug": world["event"].slug})


def review_queue(world):
    return reverse("resources:review_queue")


def directory(world):
    return reverse("members:list")


def case_study_form(world):
    return reverse("resources:case_study_create")


def admin_front(world):
    return reverse("admin:index")


def member_record(world):
    return reverse("admin:members_member_change", args=[world["member"].pk])


def library(world):
    return reverse("resources:list")


def sign_up(world):
    return reverse("account_signup")


def events_list(world):
    return reverse("events:list")


SHOTS = {
    "visitor": [directory, events_list, library, sign_up],
    "member": [event_page],
    "staff": [attendees],
    "researcher": [case_study_form],
    "admin": [review_queue, admin_front, member_record],
}


@pytest.mark.parametrize("role", ["visitor", "member", "staff", "researcher", "admin"])
def test_no_page_scrolls_sideways_at_360_px(page, live_server, world, role, screenshot):
    sign_in_as(page, live_server, world["users"][role])
    page.set_viewport_size({"width": 360, "height": 800})
    too_wide = {}
    for path in pages_for(role, world):
        response = page.goto(live_server.url + path)
        assert response.status < 400, (role, path, response.status)
        measured = page.evaluate(OVERFLOW)
        if measured["scroll"] > measured["width"]:
            too_wide[path] = measured
    assert not too_wide, too_wide
    # The pages issue 15 names, for a person to look at (tests/artifacts/, 1280 and 390 px).
    for path in SHOTS.get(role, []):
        page.goto(live_server.url + path(world))
        screenshot(path.__name__)
