"""Walk every URL pattern of the project: each one is classified here, and every
page that is not public refuses visitors and the wrong users.

A new URL without a classification fails `test_every_url_is_classified`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from events.services import register
from members.models import Member, Organization, Program
from resources.models import Resource
from tests.conftest import make_user
from tests.events.conftest import make_event
from tests.resources.conftest import make_case_study, make_resource, pdf_upload


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


# Open to everyone (objects in the sample data below are public ones).
PUBLIC = {
    "home",
    "about",
    "journey",
    "living_lab",
    "contact",
    "healthz",
    "robots_txt",
    "events:list",
    "events:detail",
    "events:feed",
    "events:ics",
    "resources:list",
    "resources:detail",
    "resources:case_studies",
    "resources:feed",
    "resources:export",
    "members:list",
    "members:organizations",
    "members:organization",
}
# Back office and allauth's own views protect themselves (tested in tests/members).
SELF_PROTECTED_PREFIXES = ("admin:", "account_")

EVENT = {"slug": "summit-2030"}
REGISTRATION = {"slug": "summit-2030", "pk": 0}  # pk filled in by the sample data
ORG = {"slug": "sample-org"}
PROGRAM = {"slug": "sample-org", "program_slug": "sample-program"}
DRAFT = {"slug": "draft-case-study"}
STAFF_ONLY = ["signed_in", "member"]
DRAFT_OUTSIDERS = ["signed_in", "member", "other_researcher"]

# Pages for some people only: name -> (kwargs, who besides visitors must be refused).
# "signed_in": signed in, not an approved member; "member": an approved member with no
# staff, owner or researcher rights; "other_researcher": a researcher of other studies.
RESTRICTED = {
    "members:detail": ({"slug": "hidden-profile"}, ["signed_in", "member"]),
    "members:contact": ({"slug": "amina-mensah"}, ["signed_in"]),
    "members:join": ({}, []),
    "members:edit_profile": ({}, []),
    "members:own_data": ({}, []),
    "members:delete_account": ({}, []),
    "members:organization_edit": (ORG, STAFF_ONLY),
    "members:program_create": (ORG, STAFF_ONLY),
    "members:program_edit": (PROGRAM, STAFF_ONLY),
    "members:program_delete": (PROGRAM, STAFF_ONLY),
    "events:register": (EVENT, []),
    "events:cancel": (EVENT, []),
    "events:attendees": (EVENT, STAFF_ONLY),
    "events:check_in_page": (EVENT, STAFF_ONLY),
    "events:export": (EVENT, STAFF_ONLY),
    "events:import": (EVENT, STAFF_ONLY),
    "events:sign_in_sheet": (EVENT, STAFF_ONLY),
    "events:staff_register": (EVENT, STAFF_ONLY),
    "events:staff_guest": (EVENT, STAFF_ONLY),
    "events:staff_cancel": (REGISTRATION, STAFF_ONLY),
    "events:check_in": (REGISTRATION, STAFF_ONLY),
    "events:no_show": (REGISTRATION, STAFF_ONLY),
    "resources:download": ({"slug": "members-toolkit"}, ["signed_in"]),
    "resources:cite": ({"slug": "members-toolkit", "fmt": "bib"}, ["signed_in"]),
    "resources:download_version": ({**DRAFT, "number": 1}, DRAFT_OUTSIDERS),
    "resources:case_study": (DRAFT, DRAFT_OUTSIDERS),
    "resources:case_study_edit": (DRAFT, DRAFT_OUTSIDERS),
    "resources:case_study_action": ({**DRAFT, "action": "submit"}, DRAFT_OUTSIDERS),
    "resources:case_study_create": ({}, ["signed_in", "member"]),
    "resources:case_study_mine": ({}, []),  # lists only the viewer's own studies
    "resources:review_queue": ({}, DRAFT_OUTSIDERS),
}


def all_names():
    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_is_classified():
    unclassified = [
        name
        for name in all_names()
        if name not in PUBLIC
        and name not in RESTRICTED
        and not name.startswith(SELF_PROTECTED_PREFIXES)
    ]
    assert unclassified == [], "classify these URLs in tests/allin_portal/test_url_access.py"


@pytest.fixture
def personas(db, member_user):
    return {
        "visitor": None,
        "signed_in": make_user("applicant@example.org"),
        "member": member_user,
        "other_researcher": make_user("omar@example.org", "Members", "Researchers"),
    }


@pytest.fixture
def sample_data(history, personas, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    hidden = make_user("hidden@example.org", "Members")
    Member.objects.create(
        user=hidden,
        name="Hidden Person",
        slug="hidden-profile",
        status=Member.Status.APPROVED,
        visibility=Member.Visibility.HIDDEN,
    )
    contact = Member.objects.create(
        user=make_user("contact@example.org", "Members"),
        name="Org Contact",
        slug="org-contact",
        status=Member.Status.APPROVED,
    )
    organization = Organization.objects.create(
        name="Sample org", slug="sample-org", contact=contact
    )
    Program.objects.create(organization=organization, name="Sample program", slug="sample-program")
    event = make_event(capacity=5)
    registration = register(event=event, user=hidden, by=hidden)
    REGISTRATION["pk"] = registration.pk
    make_resource(
        "Members toolkit",
        slug="members-toolkit",
        access=Resource.Access.MEMBERS,
        upload=pdf_upload("members-only text"),
    )
    make_case_study(
        make_user("rita@example.org", "Members", "Researchers"), title="Draft case study"
    )


def refused(response):
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", sorted(RESTRICTED))
def test_restricted_pages_refuse_visitors_and_the_wrong_users(client, sample_data, personas, name):
    kwargs, others = RESTRICTED[name]
    url = reverse(name, kwargs=kwargs)
    response = client.post(url)
    assert refused(response), f"a visitor's POST got {response.status_code} from {url}"
    for persona in ["visitor", *others]:
        client.logout()
        if personas[persona]:
            client.force_login(personas[persona])
        response = client.get(url)
        assert refused(response), f"{persona} got {response.status_code} from {url}"
        assert "members-only text" not in response.content.decode(errors="ignore")


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_visitors(client, sample_data, name):
    kwargs = {
        "events:detail": EVENT,
        "events:ics": EVENT,
        "resources:export": {"fmt": "bib"},
        "resources:detail": {"slug": "global-school-leaders-report"},
        "members:organization": {"slug": "wise"},
    }.get(name, {})
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
