"""No page scrolls sideways on a 360 px phone, for any of the portal's users."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from events import services as event_services
from resources import services as resource_services
from tests.helpers import make_case_study, make_event, make_member, make_member_user, make_user

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
    event = make_event(capacity=3, guests_allowed=True)
    staff = make_user("staff@example.org", "Event staff")
    # A long name and organization, on the sign-in sheet too.
    guest = event_services.Guest(
        name="Maria Fernanda de los Ángeles Rodríguez-Villanueva",
        email="maria.fernanda@example.net",
        organization="Secretaría de Educación Pública del Estado de Guanajuato",
        country="MX",
    )
    event_services.register(event=event, guest=guest, by=staff)
    for n in range(1, 5):
        event_services.register(event=event, user=make_member_user(n), listed=True)
    researcher = make_user("rita@example.org", "Researchers", first_name="Rita")
    case_study = make_case_study(researcher)
    resource_services.transition(case_study=case_study, action="submit", by=researcher)
    member = make_member(
        "long@example.org",
        "Maria Fernanda de los Ángeles Rodríguez-Villanueva",
        position="Directora de Formación Continua de Directivos Escolares",
    )
    return {
        "event": event,
        "case_study": case_study,
        "member": member,
        "users": {
            "visitor": None,
            "member": make_member_user(9),
            "staff": staff,
            "researcher": researcher,
            "admin": make_user("admin@example.org", "Network admins", is_staff=True),
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
        reverse("members:organizations"),
        reverse("resources:list"),
        reverse("resources:case_studies"),
        reverse("evidence:evidence"),
        reverse("evidence:impact"),
        reverse("account_login") if role == "visitor" else reverse("account_email"),
    ]
    extra = {
        "visitor": [reverse("account_signup")],
        "member": [reverse("members:edit_profile"), world["member"].get_absolute_url()],
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
