"""Walk every URL pattern of the project against every persona, with each route's real method.

Each case names one route on one object, the personas who get in (and what success means
for them), and what every other persona gets: the policy in docs/access.md:
404 for an object they may not know exists, 403 for a page they know but may not use,
the sign-in page for visitors. Every persona is listed in every case, so a new role or a
loosened check makes a test fail. Each request runs in its own savepoint, rolled back, so
nothing one persona does is seen by the next; POST cases also check the state change
happened for the right persona and not for the wrong ones.

A new URL without a case fails `test_every_url_has_a_case`.
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from communications.models import Announcement
from events.models import Registration
from events.services import register
from groups import services as group_services
from groups.models import GroupMembership, Post, Report, Thread, WorkingGroup
from imports.models import ImportJob
from members.models import Member, Organization, Program, User
from resources import services as resource_services
from resources.models import CaseStudy, Resource
from tests.helpers import (
    make_case_study,
    make_event,
    make_resource,
    make_user,
    pdf_upload,
    release,
)

PERSONAS = [
    "visitor",  # not signed in
    "signed_in",  # an account, not (yet) a member
    "member",  # an approved member, no other role
    "researcher",  # researcher of the draft case study
    "other_researcher",  # a researcher of other studies
    "staff",  # event staff
    "admin",  # network admin (reviewer)
    "contact",  # an approved member, contact of the sample organization
]
EVERYONE = tuple(PERSONAS)
SIGNED_IN = tuple(p for p in PERSONAS if p != "visitor")
SIGN_IN = "sign in"  # a 302 to the sign-in page that comes back to the URL
BACK = "back"  # a 302 back to the page, with a message, nothing done
ASK_SIGN_IN = {"visitor": SIGN_IN}


def refuse(status, *personas):
    return dict.fromkeys(personas, status)


@dataclass
class Case:
    name: str
    kwargs: dict = field(default_factory=dict)
    allowed: tuple = EVERYONE
    refused: dict = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)
    # For POSTs: a check of the database that is false before and true after success.
    done: object = None
    success: int = 200  # for GET; a POST's success is a redirect that is not to sign in

    @property
    def id(self):
        return f"{self.name}:{self.kwargs.get('slug', '')}:{self.method}"


STAFF = ("staff", "admin")
NON_STAFF = ("signed_in", "member", "researcher", "other_researcher", "contact")
NON_MEMBERS = ("signed_in",)
DRAFT_OUTSIDERS = ("visitor", "signed_in", "member", "other_researcher", "staff", "contact")


def confirmed_sample(sample):
    return Registration.objects.filter(pk=sample["registration"], checked_in_at__isnull=False)


IMPORT_JOB = "6f1c2d3e-0000-4000-8000-000000000001"  # started by event staff

MEMBERS = ("member", "researcher", "other_researcher", "staff", "admin", "contact")

CASES = [
    # Members' archive of announcements; preferences for any account; staff write to
    # an event's registrants; an unsubscribe link's signed token is its own key.
    Case("communications:archive", allowed=MEMBERS, refused={**ASK_SIGN_IN, "signed_in": 403}),
    Case(
        "communications:announcement",
        {"pk": "announcement"},
        allowed=MEMBERS,
        refused={**ASK_SIGN_IN, "signed_in": 403},
    ),
    Case("mail:preferences", allowed=SIGNED_IN, refused=ASK_SIGN_IN),
    # The translators' pages: network admins (and the Translators group) only.
    Case(
        "translations:list",
        {"code": "fr"},
        ("admin",),
        {**ASK_SIGN_IN, **refuse(403, *NON_STAFF, "staff")},
    ),
    Case(
        "communications:event_email",
        {"slug": "summit-2030"},
        allowed=STAFF,
        refused={**ASK_SIGN_IN, **refuse(403, *NON_STAFF)},
    ),
    Case(
        "mail:unsubscribe",
        {"token": "made-up"},
        allowed=(),
        refused=refuse(404, *PERSONAS),
    ),
    # Only who started an import sees its progress and result.
    Case(
        "import_job",
        {"pk": IMPORT_JOB},
        allowed=("staff",),
        refused={**ASK_SIGN_IN, **refuse(404, *(p for p in SIGNED_IN if p != "staff"))},
    ),
    *(
        Case(name)
        for name in [
            "home",
            "about",
            "journey",
            "living_lab",
            "contact",
            "robots_txt",
            "sitemap",
            "evidence:evidence",
            "evidence:figures_csv",
            "evidence:impact",
            "evidence:oai",
            "events:list",
            "events:feed",
            "resources:list",
            "resources:case_studies",
            "resources:feed",
            "members:list",
            "members:organizations",
        ]
    ),
    # The same answer for everyone: 503 here, with no task worker or scheduler beside the tests.
    Case("healthz", success=503),
    Case("events:detail", {"slug": "summit-2030"}),
    Case("events:ics", {"slug": "summit-2030"}),
    Case("resources:export", {"fmt": "bib"}),
    Case("django.contrib.sitemaps.views.sitemap", {"section": "resources"}),
    Case("evidence:export", {"kind": "resources"}),
    Case("resources:detail", {"slug": "public-report"}),
    Case("resources:detail", {"slug": "members-toolkit"}),  # title and abstract for all
    Case(
        "resources:detail",
        {"slug": "draft-case-study"},
        ("researcher", "admin"),
        refuse(404, *DRAFT_OUTSIDERS),
    ),
    Case("resources:download", {"slug": "public-report"}),
    Case(
        "resources:download",
        {"slug": "members-toolkit"},
        SIGNED_IN[1:],
        {**ASK_SIGN_IN, **refuse(403, *NON_MEMBERS)},
    ),
    Case(
        "resources:download",
        {"slug": "draft-case-study"},
        ("researcher", "admin"),
        refuse(404, *DRAFT_OUTSIDERS),
    ),
    Case("resources:cite", {"slug": "public-report", "fmt": "ris"}),
    Case(
        "resources:cite",
        {"slug": "members-toolkit", "fmt": "bib"},
        SIGNED_IN[1:],
        {**ASK_SIGN_IN, **refuse(403, *NON_MEMBERS)},
    ),
    Case(
        "resources:download_version",
        {"slug": "draft-case-study", "number": 1},
        ("researcher", "admin"),
        refuse(404, *DRAFT_OUTSIDERS),
    ),
    Case(
        "resources:download_version",
        {"slug": "published-study", "number": 1},
        ("researcher", "admin"),
        {**ASK_SIGN_IN, **refuse(403, *DRAFT_OUTSIDERS[1:])},
    ),
    Case(
        "resources:case_study",
        {"slug": "draft-case-study"},
        ("researcher", "admin"),
        refuse(404, *DRAFT_OUTSIDERS),
    ),
    Case("resources:case_study", {"slug": "published-study"}),
    Case(
        "resources:case_study_edit",
        {"slug": "draft-case-study"},
        ("researcher",),
        {**refuse(404, *DRAFT_OUTSIDERS), "admin": 403},
    ),
    Case(
        "resources:case_study_edit",
        {"slug": "published-study"},
        (),
        {**ASK_SIGN_IN, **refuse(403, *SIGNED_IN), "researcher": BACK},
    ),  # published: no edits
    Case(
        "resources:case_study_action",
        {"slug": "draft-case-study", "action": "submit"},
        ("researcher",),
        {**refuse(404, *DRAFT_OUTSIDERS), "admin": BACK},
        method="post",
        done=lambda s: CaseStudy.objects.filter(status=CaseStudy.Status.SUBMITTED).exists(),
    ),
    Case(
        "resources:case_study_action",
        {"slug": "published-study", "action": "comment"},
        ("researcher", "admin"),
        {**ASK_SIGN_IN, **refuse(403, *DRAFT_OUTSIDERS[1:])},
        method="post",
        data={"comment": "Well argued."},
        done=lambda s: CaseStudy.objects.filter(history__comment="Well argued.").exists(),
    ),
    Case(
        "resources:case_study_create",
        {},
        ("researcher", "other_researcher", "admin"),
        {**ASK_SIGN_IN, **refuse(403, "signed_in", "member", "staff", "contact")},
    ),
    Case("resources:case_study_mine", {}, SIGNED_IN, ASK_SIGN_IN),
    Case(
        "resources:review_queue",
        {},
        ("admin",),
        {**ASK_SIGN_IN, **refuse(403, *(p for p in SIGNED_IN if p != "admin"))},
    ),
    Case("members:detail", {"slug": "joao-public"}),
    Case(
        "members:detail",
        {"slug": "org-contact"},
        SIGNED_IN[1:],
        refuse(404, "visitor", *NON_MEMBERS),
    ),  # members-only profile
    Case(
        "members:detail",
        {"slug": "hidden-profile"},
        ("other_researcher",),
        refuse(404, *(p for p in PERSONAS if p != "other_researcher")),
    ),  # hidden, theirs
    Case(
        "members:contact",
        {"slug": "joao-public"},
        SIGNED_IN[1:],
        {**ASK_SIGN_IN, **refuse(403, *NON_MEMBERS)},
    ),
    Case(
        "members:contact",
        {"slug": "hidden-profile"},
        (),
        {**ASK_SIGN_IN, **refuse(403, *NON_MEMBERS), **refuse(404, *SIGNED_IN[1:])},
    ),
    Case("members:join", {}, SIGNED_IN, ASK_SIGN_IN),
    Case(
        "members:edit_profile",
        {},
        ("member", "contact", "other_researcher"),
        {**ASK_SIGN_IN, **refuse(302, "signed_in", "researcher", "staff", "admin")},
    ),
    Case("members:own_data", {}, SIGNED_IN, ASK_SIGN_IN),
    Case("members:delete_account", {}, SIGNED_IN, ASK_SIGN_IN),
    Case(
        "members:delete_account",
        {},
        SIGNED_IN,
        ASK_SIGN_IN,
        method="post",
        data={"confirm": "yes", "password": "correct horse battery"},
        done=lambda s: User.objects.count() < s["users_count"],
    ),
    Case("members:organization", {"slug": "sample-org"}),
    Case(
        "members:organization_edit",
        {"slug": "sample-org"},
        ("contact",),
        {**ASK_SIGN_IN, **refuse(403, *SIGNED_IN[:-1])},
    ),
    Case(
        "members:program_create",
        {"slug": "sample-org"},
        ("contact",),
        {**ASK_SIGN_IN, **refuse(403, *SIGNED_IN[:-1])},
    ),
    Case(
        "members:program_edit",
        {"slug": "sample-org", "program_slug": "sample-program"},
        ("contact",),
        {**ASK_SIGN_IN, **refuse(403, *SIGNED_IN[:-1])},
    ),
    Case(
        "members:program_delete",
        {"slug": "sample-org", "program_slug": "sample-program"},
        ("contact",),
        {**ASK_SIGN_IN, **refuse(403, *SIGNED_IN[:-1])},
        method="post",
        done=lambda s: not Program.objects.filter(slug="sample-program").exists(),
    ),
    # Approved members register themselves (others get the service's message), once.
    Case(
        "events:register",
        {"slug": "summit-2030"},
        ("member", "contact", "staff", "admin"),  # event staff may register themselves
        {**ASK_SIGN_IN, **refuse(BACK, "signed_in", "researcher", "other_researcher")},
        method="post",
        done=lambda s: Registration.objects.count() > 1,
    ),
    Case(
        "events:cancel",
        {"slug": "summit-2030"},
        ("other_researcher",),
        {**ASK_SIGN_IN, **refuse(404, *SIGNED_IN[:3], *SIGNED_IN[4:])},
        method="post",
        done=lambda s: Registration.objects.filter(status=Registration.Status.CANCELLED).exists(),
    ),
    *(
        Case(name, {"slug": "summit-2030"}, STAFF, {**ASK_SIGN_IN, **refuse(403, *NON_STAFF)})
        for name in [
            "events:attendees",
            "events:check_in_page",
            "events:export",
            "events:import",
            "events:sign_in_sheet",
        ]
    ),
    Case(
        "events:staff_register",
        {"slug": "summit-2030"},
        STAFF,
        {**ASK_SIGN_IN, **refuse(403, *NON_STAFF)},
        method="post",
        data={"member": "contact"},
        done=lambda s: Registration.objects.filter(user__email="contact@example.org").exists(),
    ),
    Case(
        "events:staff_guest",
        {"slug": "summit-2030"},
        STAFF,
        {**ASK_SIGN_IN, **refuse(403, *NON_STAFF)},
        method="post",
        data={"name": "Guest Person", "email": "guest@example.org"},
        done=lambda s: Registration.objects.filter(email="guest@example.org").exists(),
    ),
    Case(
        "events:check_in",
        {"slug": "summit-2030", "pk": "registration"},
        STAFF,
        {**ASK_SIGN_IN, **refuse(403, *NON_STAFF)},
        method="post",
        data={"reason": "Checked in before the event day"},  # the event is weeks away
        done=lambda s: confirmed_sample(s).exists(),
    ),
    Case(
        "events:no_show",
        {"slug": "summit-2030", "pk": "registration"},
        STAFF,
        {**ASK_SIGN_IN, **refuse(403, *NON_STAFF)},
        method="post",
        done=lambda s: Registration.objects.filter(no_show=True).exists(),
    ),
    Case(
        "events:staff_cancel",
        {"slug": "summit-2030", "pk": "registration"},
        STAFF,
        {**ASK_SIGN_IN, **refuse(403, *NON_STAFF)},
        method="post",
        done=lambda s: Registration.objects.filter(status=Registration.Status.CANCELLED).exists(),
    ),
]
# Working groups: the sample group (open description, joined on request) has "member" as a
# member, "contact" as its coordinator, and a request to join from "researcher"; the other
# network members are outsiders to its discussions (404), admins oversee every group.
GROUP = {"slug": "sample-group"}
THREAD = {**GROUP, "pk": "thread"}
POST = {**THREAD, "post_pk": "post"}
GROUP_OUTSIDERS = ("signed_in", "researcher", "other_researcher", "staff")
COORDINATING = ("contact", "admin")


def sample_groups():
    return GroupMembership.objects.filter(group__slug="sample-group")


GROUP_CASES = [
    Case("groups:list"),
    Case("groups:detail", GROUP),
    Case(
        "groups:thread",
        THREAD,
        ("member", *COORDINATING),
        refuse(404, "visitor", *GROUP_OUTSIDERS),
    ),
    Case(
        "groups:join",
        GROUP,
        ("other_researcher", "staff", "admin"),
        {**ASK_SIGN_IN, "signed_in": 403, **refuse(BACK, "member", "contact", "researcher")},
        method="post",
        done=lambda s: sample_groups().count() > 3,
    ),
    Case(
        "groups:leave",
        GROUP,
        ("member", "contact", "researcher"),
        {**ASK_SIGN_IN, **refuse(BACK, "signed_in", "other_researcher", "staff", "admin")},
        method="post",
        done=lambda s: sample_groups().count() < 3,
    ),
    Case(
        "groups:notify",
        GROUP,
        ("member", "contact"),
        {**ASK_SIGN_IN, **refuse(404, *GROUP_OUTSIDERS, "admin")},
        method="post",
        data={"notify": "none"},
        done=lambda s: sample_groups().filter(notify="none").exists(),
    ),
    Case(
        "groups:invite",
        GROUP,
        COORDINATING,
        {**ASK_SIGN_IN, **refuse(403, *GROUP_OUTSIDERS, "member")},
        method="post",
        data={"email": "omar@example.org"},
        done=lambda s: sample_groups().filter(state="invited").exists(),
    ),
    Case(
        "groups:decide",
        {**GROUP, "membership_pk": "membership_request"},
        COORDINATING,
        {**ASK_SIGN_IN, **refuse(403, *GROUP_OUTSIDERS, "member")},
        method="post",
        data={"decision": "approve"},
        done=lambda s: not sample_groups().filter(state="requested").exists(),
    ),
    Case(
        "groups:start_thread",
        GROUP,
        ("member", *COORDINATING),
        {**ASK_SIGN_IN, **refuse(404, *GROUP_OUTSIDERS)},
        method="post",
        data={"title": "A new thread", "body": "Text"},
        done=lambda s: Thread.objects.filter(title="A new thread").exists(),
    ),
    Case(
        "groups:reply",
        THREAD,
        ("member", *COORDINATING),
        {**ASK_SIGN_IN, **refuse(404, *GROUP_OUTSIDERS)},
        method="post",
        data={"body": "A reply"},
        done=lambda s: Post.objects.filter(body="A reply").exists(),
    ),
    Case(
        "groups:moderate",
        {**THREAD, "action": "pin"},
        COORDINATING,
        {**ASK_SIGN_IN, "member": 403, **refuse(404, *GROUP_OUTSIDERS)},
        method="post",
        done=lambda s: Thread.objects.filter(pinned=True).exists(),
    ),
    Case(
        "groups:move",
        THREAD,
        COORDINATING,
        {**ASK_SIGN_IN, "member": 403, **refuse(404, *GROUP_OUTSIDERS)},
        method="post",
        data={"to_group": "other_group"},
        done=lambda s: Thread.objects.filter(group__slug="other-group").exists(),
    ),
    Case(
        "groups:edit_post",
        POST,
        ("member",),
        {**ASK_SIGN_IN, **refuse(403, *COORDINATING), **refuse(404, *GROUP_OUTSIDERS)},
    ),
    Case(
        "groups:edit_post",
        POST,
        ("member",),
        {**ASK_SIGN_IN, **refuse(403, *COORDINATING), **refuse(404, *GROUP_OUTSIDERS)},
        method="post",
        data={"body": "Edited"},
        done=lambda s: Post.objects.filter(body="Edited").exists(),
    ),
    Case(
        "groups:report",
        POST,
        ("member", *COORDINATING),
        {**ASK_SIGN_IN, **refuse(404, *GROUP_OUTSIDERS)},
        method="post",
        data={"reason": "Off topic"},
        done=lambda s: Report.objects.exists(),
    ),
    Case(
        "groups:moderate_post",
        {**POST, "action": "hide"},
        COORDINATING,
        {**ASK_SIGN_IN, "member": 403, **refuse(404, *GROUP_OUTSIDERS)},
        method="post",
        done=lambda s: Post.objects.filter(hidden=True).exists(),
    ),
    Case(
        "groups:unsubscribe",
        {**GROUP, "token": "made-up"},
        allowed=(),
        refused=refuse(404, *PERSONAS),
    ),
]
CASES += GROUP_CASES

# Back office and allauth's own views protect themselves (tested in tests/members).
# Public media answers files only (tested in tests/members/test_public_media.py).
SELF_PROTECTED_PREFIXES = ("admin:", "account_", "public_media")


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


# Walked with both sides and their real methods in their own files: the guest, survey and
# certificate routes (a secret in the URL, or event staff) in tests/events/test_guest_access.py;
# the language switcher (a POST open to everyone) in tests/allin_portal/test_i18n.py.
WALKED_ELSEWHERE = {
    # A redirect to the list; an object's page (tests/allin_portal/test_content_translations.py).
    "translations:index",
    "translations:edit",
    "set_language",
    "events:guest_manage",
    "events:guest_confirm",
    "events:guest_cancel",
    "events:guest_ics",
    "events:survey",
    "events:certificate",
    "certificate_verify",
    "events:staff_settings",
    "events:questions",
    "events:question_edit",
    "events:question_delete",
    "events:invitations",
    "events:survey_results",
    "events:survey_csv",
    "events:survey_publish",
    "events:certificate_revoke",
}


def test_every_url_has_a_case():
    covered = {case.name for case in CASES} | WALKED_ELSEWHERE
    names = set(walk(get_resolver().url_patterns))
    missing = sorted(n for n in names - covered if not n.startswith(SELF_PROTECTED_PREFIXES))
    assert missing == [], "add cases for these URLs in tests/allin_portal/test_url_access.py"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_every_persona_is_accounted_for(case):
    assert not set(case.allowed) & set(case.refused)
    assert sorted({*case.allowed, *case.refused}) == sorted(PERSONAS)


@pytest.fixture
def sample(db, settings, tmp_path):
    """One object of each kind, and the personas; rebuilt for every test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    users = {
        "visitor": None,
        "signed_in": make_user("applicant@example.org"),
        "member": make_user("amina@example.org", "Members"),
        "researcher": make_user("rita@example.org", "Members", "Researchers"),
        "other_researcher": make_user("omar@example.org", "Members", "Researchers"),
        "staff": make_user("staff@example.org", "Members", "Event staff"),
        "admin": make_user("admin@example.org", "Network admins", is_staff=True),
        "contact": make_user("contact@example.org", "Members"),
    }

    def profile(user, name, slug, visibility):
        return Member.objects.create(
            user=user, name=name, slug=slug, status=Member.Status.APPROVED, visibility=visibility
        )

    profile(users["member"], "Amina Mensah", "amina-mensah", Member.Visibility.PUBLIC)
    joao = make_user("joao@example.org", "Members")
    profile(joao, "João Public", "joao-public", Member.Visibility.PUBLIC)
    profile(users["other_researcher"], "Hidden Person", "hidden-profile", Member.Visibility.HIDDEN)
    contact = profile(users["contact"], "Org Contact", "org-contact", Member.Visibility.MEMBERS)
    organization = Organization.objects.create(
        name="Sample org", slug="sample-org", contact=contact
    )
    Program.objects.create(organization=organization, name="Sample program", slug="sample-program")
    event = make_event(capacity=5)
    registration = register(
        event=event, user=users["other_researcher"], by=users["other_researcher"]
    )
    make_resource("Public report", slug="public-report", upload=pdf_upload("public text"))
    make_resource(
        "Members toolkit",
        slug="members-toolkit",
        access=Resource.Access.MEMBERS,
        upload=pdf_upload("members-only text"),
    )
    make_case_study(users["researcher"], title="Draft case study")
    published = make_case_study(users["researcher"], title="Published study")
    resource_services.transition(case_study=published, action="submit", by=users["researcher"])
    resource_services.transition(case_study=published, action="publish", by=users["admin"])
    ImportJob.objects.create(
        pk=IMPORT_JOB, kind="attendees", title="Attendees", created_by=users["staff"]
    )
    announcement = Announcement.objects.create(
        subject="News", body="Hello", state=Announcement.State.QUEUED, queued_at=timezone.now()
    )
    group = WorkingGroup.objects.create(slug="sample-group", name="Sample group", purpose="p")
    other_group = WorkingGroup.objects.create(slug="other-group", name="Other group", purpose="p")
    for g in (group, other_group):
        g.memberships.create(member=users["contact"], role="coordinator", state="active")
    group.memberships.create(member=users["member"], state="active")
    membership_request = group.memberships.create(member=users["researcher"], state="requested")
    thread = group_services.start_thread(
        group=group, author=users["member"], title="Sample thread", body="Text"
    )
    return {
        "thread": thread.pk,
        "post": thread.posts.get().pk,
        "membership_request": membership_request.pk,
        "other_group": other_group.pk,
        "users": users,
        "users_count": User.objects.count(),
        "announcement": announcement.pk,
        "registration": registration.pk,
        "contact_member": contact.pk,
    }


def request(case, sample, persona):
    kwargs = {k: sample[v] if v in sample else v for k, v in case.kwargs.items()}
    url = reverse(case.name, kwargs=kwargs)
    client = Client()
    if sample["users"][persona]:
        client.force_login(sample["users"][persona])
    objects = {"contact": sample["contact_member"], "other_group": sample.get("other_group")}
    data = {k: objects.get(v, v) for k, v in case.data.items()}
    if case.method == "post":
        return url, client.post(url, data)
    return url, client.get(url)


def to_sign_in(response, url):
    return response.status_code == 302 and response["Location"] == (
        f"{reverse('account_login')}?next={url}"
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_persona_gets_what_the_policy_says(case, sample):
    for persona in PERSONAS:
        with transaction.atomic():
            url, response = request(case, sample, persona)
            where = f"{persona} {case.method.upper()} {url}: {response.status_code}"
            expected = case.refused.get(persona)
            if expected is None:  # allowed
                if case.method == "get":
                    assert response.status_code == case.success, where
                else:
                    assert response.status_code == 302, where
                    assert not to_sign_in(response, url), where
                    assert case.done(sample), f"{where}: nothing happened"
            else:
                if expected == SIGN_IN:
                    assert to_sign_in(response, url), where
                elif expected == BACK:
                    assert response.status_code == 302 and not to_sign_in(response, url), where
                else:
                    assert response.status_code == expected, where
                if case.done:
                    assert not case.done(sample), f"{where}: refused, but it happened"
                body = b"" if response.streaming else response.content
                assert b"members-only text" not in body, where
            release(response)
            transaction.set_rollback(True)


def test_a_refusal_says_so_and_a_visitor_comes_back_after_signing_in(sample):
    url = reverse("resources:review_queue")
    client = Client()
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(f"{reverse('account_login')}?next={url}", 302)]
    assert 'name="next"' in response.text and url in response.text
    client.force_login(sample["users"]["member"])
    response = client.get(url)
    assert response.status_code == 403
    assert "Not open to you" in response.text
    assert "<main" in response.text  # the site's layout, not a bare error
