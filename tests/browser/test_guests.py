"""Journey (issue 13): a guest registers through an invitation link, answers the
registration question, confirms by the emailed link, waits on the waitlist, is promoted
when a member cancels, is checked in, answers the survey, downloads the certificate and
it is verified through its URL. With JavaScript on and off."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from events import services
from events.models import Event, Registration
from events.questions import Question
from tests.browser.helpers import ARTIFACTS, WIDTHS, Axe
from tests.helpers import make_event, make_member_user, make_user


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_invited_guest_from_registration_to_verified_certificate(
    browser, live_server, transactional_db, javascript, request
):
    event = make_event(
        capacity=1,
        registration_policy=Event.RegistrationPolicy.INVITED,
        survey_open=True,
        certificates_enabled=True,
        hours=6,
        signatory_name="Ana Ruiz",
    )
    Question.objects.create(
        event=event,
        form="registration",
        kind="choice",
        label="Which session?",
        choices=["Morning panel", "Afternoon lab"],
        required=True,
    )
    Question.objects.create(
        event=event, form="survey", kind="rating", label="How useful was it?", required=True
    )
    member = make_member_user(1)
    services.register(event=event, user=member)  # the only place is taken
    staff = make_user("staff@example.org", "Event staff")

    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)

    axe_violations = Axe(page)

    def shot(name):
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(
                path=ARTIFACTS / f"{request.node.name}-{name}-{label}.png", full_page=True
            )
        page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})

    page.goto(
        f"{live_server.url}/events/{event.slug}/register/?invitation={event.invitation_token}"
    )
    expect(page.get_by_role("heading", name="Register as a guest")).to_be_visible()
    if javascript:  # axe runs as JavaScript
        assert axe_violations() == []
    page.get_by_role("textbox", name="Name").fill("سارة العلي")
    page.get_by_role("textbox", name="Email").fill("Sara@Example.net")
    page.get_by_role("textbox", name="Organization").fill("Ministère de l'Éducation")
    page.get_by_role("combobox", name="Country").select_option("MA")
    page.get_by_role("combobox", name="Role").select_option("policymaker")
    page.get_by_label("Afternoon lab").check()
    shot("register")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("we have emailed you a link")).to_be_visible()

    (message,) = [m for m in mail.outbox if m.to == ["Sara@Example.net"]]
    link = re.search(r"http://\S+/registration/\S+/", message.body).group(0)
    link = live_server.url + link.split("/events/", 1)[1].join(["/events/", ""])
    page.goto(link)
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_text("you are on the waitlist")).to_be_visible()
    expect(page.get_by_text("position 1 on the waitlist")).to_be_visible()
    shot("waitlisted")

    services.cancel(registration=Registration.objects.get(user=member), by=member)
    page.reload()
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    assert any(
        "confirmed" in m.subject.lower() or "place" in m.subject.lower() for m in mail.outbox[-2:]
    )

    guest = Registration.objects.get(email="Sara@Example.net")
    assert guest.answers.get().text == "Afternoon lab"
    services.check_in(registration=guest, by=staff, reason="Checked in for the test")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=8),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    page.reload()
    page.get_by_role("link", name="Give your feedback").click()
    if javascript:  # before answering: it opens the page again in Arabic and back
        assert axe_violations() == []
    page.get_by_label("4").check()
    shot("survey")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()

    page.goto(link)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my certificate").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = pdf.pages[0].extract_text()
    code = re.search(r"/certificates/([\w-]+)/", text.replace("\n", "")).group(1)
    page.goto(f"{live_server.url}/certificates/{code}/")
    expect(page.get_by_text("This certificate of attendance is valid.")).to_be_visible()
    expect(page.get_by_text("سارة العلي")).to_be_visible()
    assert "Sara@Example.net" not in page.content()
    shot("verified")
    context.close()
