"""/events/ and /events/<slug>/: filters, registration box, who sees what, query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.helpers import make_event, make_member_user, make_user


def detail(event):
    return reverse("events:detail", kwargs={"slug": event.slug})


def test_list_shows_upcoming_first_then_past(client, history, event):
    text = client.get(reverse("events:list")).text
    assert text.index("ALL-IN Summit 2030") < text.index("ALL-IN Working Session in Paris")


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"year": "2019"}, "Paris", "Accra"),
        ({"country": "GH"}, "Accra", "Paris"),
        ({"series": "living_lab"}, "Panel #1", "Paris"),
        ({"format": "online"}, "Panel #1", "Paris"),
    ],
)
def test_list_filters(client, history, query, shown, hidden):
    response = client.get(reverse("events:list"), query)
    past = " ".join(e.title + " " + e.city for e in response.context["past_events"])
    assert shown in past and hidden not in past


def test_list_with_a_bad_filter_ignores_it(client, history):
    response = client.get(reverse("events:list"), {"year": "nope"})
    assert response.status_code == 200
    assert len(response.context["past_events"]) > 5


def test_visitor_sees_sign_in_to_register_and_no_link(client, event):
    text = client.get(detail(event)).text
    assert "Sign in to register" in text
    assert "2 places left" in text
    assert "meet.example.org" not in text
    assert "Who is coming" not in text


def test_member_registers_and_cancels_in_one_click_each(client, event, members):
    client.force_login(members[0])
    response = client.post(reverse("events:register", kwargs={"slug": event.slug}))
    assert response.status_code == 302
    text = client.get(detail(event)).text
    assert "You are registered." in text
    assert "https://meet.example.org/all-in-2030" in text  # the link, for confirmed only
    assert "place left" not in text  # the registration state is told once
    client.post(reverse("events:cancel", kwargs={"slug": event.slug}))
    assert Registration.objects.get().status == Registration.Status.CANCELLED
    assert "meet.example.org" not in client.get(detail(event)).text


def test_waitlisted_member_sees_position_not_link(client, event, members):
    services.register(event=event, user=members[0])
    services.register(event=event, user=members[1])
    services.register(event=event, user=make_member_user(7))
    client.force_login(members[2])
    client.post(reverse("events:register", kwargs={"slug": event.slug}))
    text = client.get(detail(event)).text
    assert "You are on the waitlist, in position 2." in text
    assert "meet.example.org" not in text
    assert "Leave the waitlist" in text


def test_register_for_past_event_shows_message_and_changes_nothing(client, members):
    event = make_event("gone", starts_at=timezone.now() - datetime.timedelta(days=2))
    client.force_login(members[0])
    response = client.post(reverse("events:register", kwargs={"slug": event.slug}), follow=True)
    assert "This event is over." in response.text
    assert not Registration.objects.exists()


def test_register_needs_sign_in_and_post(client, event):
    url = reverse("events:register", kwargs={"slug": event.slug})
    # Members-only event: the registration page sends visitors to sign in.
    assert "/accounts/login/" in client.get(url)["Location"]
    assert client.put(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("events:register", kwargs={"slug": "nowhere"})).status_code in (
        302,
        404,
    )


def test_cancel_without_registration_is_404(client, event, members):
    client.force_login(members[0])
    assert client.post(reverse("events:cancel", kwargs={"slug": event.slug})).status_code == 404
    assert client.get(reverse("events:cancel", kwargs={"slug": event.slug})).status_code == 405


def test_attendee_names_only_for_confirmed_and_only_consenting(client, event, members):
    services.register(event=event, user=members[0], listed=True)
    services.register(event=event, user=members[1], listed=False)
    outsider = make_member_user(8)
    services.register(event=event, user=outsider)  # waitlisted
    client.force_login(outsider)
    assert "Who is coming" not in client.get(detail(event)).text
    client.force_login(members[1])
    text = client.get(detail(event)).text
    assert "Who is coming" in text
    assert "Member 0001" in text and "Member 0002" not in text


def test_markdown_description_is_sanitised(client, db):
    event = make_event(description="**Bold** <script>alert(1)</script> [x](javascript:alert(2))")
    text = client.get(detail(event)).text
    assert "<strong>Bold</strong>" in text
    assert "<script>alert(1)" not in text and "javascript:" not in text


def test_event_detail_query_count_is_constant(client, django_assert_max_num_queries, db):
    event = make_event(capacity=2000)
    users = [make_user(f"bulk{n}@example.org") for n in range(1000)]
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=user,
            name=f"Bulk {n}",
            email=user.email,
            country=["GH", "FR", "US", "QA"][n % 4],
            status=Registration.Status.CONFIRMED,
            listed=n % 2 == 0,
            checked_in_at=timezone.now() if n % 3 == 0 else None,
        )
        for n, user in enumerate(users)
    )
    member = make_member_user(1)
    services.register(event=event, user=member)
    staff = make_user("staff@example.org", "Event staff")
    for user in (None, member, staff):
        if user:
            client.force_login(user)
        with django_assert_max_num_queries(10):
            response = client.get(detail(event))
        assert response.status_code == 200
    assert "Bulk 998" in response.text  # listed names, to staff
    assert response.context["figures"]["participants"] == 334
    assert response.context["figures"]["countries"] == 4
    assert response.context["figures"]["continents"] == 4  # Africa, Europe, N. America, Asia


def test_figures_fall_back_to_reported_counts(client, history):
    response = client.get(reverse("events:detail", kwargs={"slug": "paris-2019"}))
    assert response.context["figures"]["participants"] == 42
    assert "<strong>42</strong> participants" in response.text


def test_photo_must_be_an_image(event):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events.models import EventPhoto

    photo = EventPhoto(
        event=event,
        caption="Not a photo",
        image=SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"),
    )
    with pytest.raises(ValidationError, match="valid image"):
        photo.full_clean()


def test_detail_refuses_post_and_unknown_is_404(client, event):
    assert client.post(detail(event)).status_code == 405
    assert client.get(reverse("events:detail", kwargs={"slug": "nowhere"})).status_code == 404


def test_event_list_query_count_with_many_events(client, django_assert_max_num_queries, db):
    from events.demo import create_events

    create_events(200)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:list"), {"format": "online"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("events:list"), {"page": 2}).status_code == 200


def test_a_real_image_is_accepted(event):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from events.models import EventPhoto

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, "PNG")
    photo = EventPhoto(
        event=event,
        caption="Participants in Paris",
        image=SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png"),
    )
    photo.full_clean()


def test_history_loader_accepts_registration_settings(db):
    from pages.history import load_history, read_history

    data = read_history()
    data["events"][-1].update({"capacity": 30, "guests_allowed": True})
    load_history(data)
    event = Event.objects.get(slug=data["events"][-1]["slug"])
    assert (event.capacity, event.guests_allowed) == (30, True)


def meta_lines(html):
    """The text of the pages' meta and eyebrow lines, tags left out."""
    lines = re.findall(r'<p class="(?:meta|eyebrow)">(.*?)</p>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines]


@pytest.mark.parametrize(
    "missing",
    [
        {"city": "", "country": "", "venue": "", "host_forum": ""},
        {"city": "", "venue": ""},
        {"country": "", "host_forum": "WISE@Doha"},
        {"city": "", "country": "", "venue": "Online room", "format": Event.Format.ONLINE},
    ],
)
def test_event_lines_have_no_stray_separator_and_no_type_other(client, history, missing):
    from pages.models import JourneyStage

    event = make_event(
        "odd-one",
        title="Odd gathering",
        series=Event.Series.OTHER,
        status=Event.Status.PLANNED,
        starts_at=timezone.now() - datetime.timedelta(days=400),
        **missing,
    )
    JourneyStage.objects.first().events.add(event)
    for url in (detail(event), reverse("journey"), reverse("events:list")):
        html = client.get(url).text
        for line in meta_lines(html):
            assert not line.startswith("·") and not line.endswith("·"), (url, line)
            assert "· ·" not in line and "Other" not in line, (url, line)
        # A badge that wraps to the next line leaves no "·" at the end of the first.
        assert not re.search(r'·\s*<span class="badge', html), url
    assert "Doha, Qatar · Summit" in meta_lines(client.get(reverse("journey")).text)


@pytest.mark.parametrize(
    ("days", "changes", "offered"),
    [
        (30, {}, True),
        (-30, {}, False),
        (30, {"status": Event.Status.POSTPONED}, False),
        (30, {"status": Event.Status.PLANNED}, False),
        (-30, {"status": Event.Status.PLANNED}, False),
        (30, {"date_precision": Event.DatePrecision.MONTH}, False),
    ],
)
def test_calendar_file_only_for_upcoming_scheduled_events_with_dates(
    client, staff_user, days, changes, offered
):
    event = make_event(starts_at=timezone.now() + datetime.timedelta(days=days), **changes)
    for user in (None, staff_user):
        if user:
            client.force_login(user)
        text = client.get(detail(event)).text
        assert (event.get_ics_url() in text) is offered, user
