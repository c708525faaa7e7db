"""Unconfirmed guests cannot squat an event: their held places are limited to a share of the
capacity and a few per address block, and a hold lasts 30 minutes by default. Past a limit a
guest is registered all the same, without a held place; members and confirmed guests keep
getting the places."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from events import services
from events.models import Event, Registration
from tests.helpers import make_event, make_member_user


@pytest.fixture(autouse=True)
def clear_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


def post_guest(client, event, n, ip):
    return client.post(
        reverse("events:register", args=[event.slug]),
        {"name": f"Guest {n}", "email": f"guest{n}@example.net", "country": "", "role": ""},
        REMOTE_ADDR=ip,
    )


def holding(event):
    return Registration.objects.filter(event=event).holding()


@pytest.mark.parametrize(
    ("ip", "block"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.0/24"),
        (" 198.51.100.1 ", "198.51.100.0/24"),
        ("", ""),
        ("unknown", ""),
        ("203.0.113.1\x00", ""),
        ("9" * 5000, ""),
    ],
)
def test_address_block(ip, block):
    assert services.address_block(ip) == block


def test_default_hold_is_short(settings):
    assert settings.REGISTRATION_HOLD_MINUTES == 30
    assert settings.GUEST_HOLDS_MAX_PERCENT == 25 and settings.GUEST_HOLDS_PER_NETWORK == 3


def test_unconfirmed_holds_take_at_most_a_share_and_a_member_still_gets_a_place(
    client, settings, django_capture_on_commit_callbacks
):
    settings.GUEST_HOLDS_MAX_PERCENT = 25
    event = make_event(capacity=4, registration_policy=Event.RegistrationPolicy.ANYONE)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):  # four networks: only the share limit applies
            assert post_guest(client, event, n, f"198.51.{n}.1").status_code == 302
    assert holding(event).count() == 1  # 25 % of 4
    pending = Registration.objects.filter(event=event, status=Registration.Status.PENDING)
    assert pending.count() == 4  # all registered, each told the same
    assert "No place is held for you" in mail.outbox[-1].body
    assert "Your place is held until" in mail.outbox[0].body
    member = make_member_user(1)
    registration = services.register(event=event, user=member, by=member)
    assert registration.status == Registration.Status.CONFIRMED


def test_share_is_at_least_one_place(settings):
    settings.GUEST_HOLDS_MAX_PERCENT = 25
    event = make_event(capacity=2, registration_policy=Event.RegistrationPolicy.ANYONE)
    first = services.register(event=event, guest=services.Guest("A", "a@example.net"))
    second = services.register(event=event, guest=services.Guest("B", "b@example.net"))
    assert first.holds_place and not second.holds_place


def test_a_guest_refused_a_hold_gets_a_free_place_on_confirming(settings):
    settings.GUEST_HOLDS_MAX_PERCENT = 25
    event = make_event(capacity=4, registration_policy=Event.RegistrationPolicy.ANYONE)
    guests = [
        services.register(event=event, guest=services.Guest(f"G{n}", f"g{n}@example.net"))
        for n in range(4)
    ]
    assert [g.holds_place for g in guests] == [True, False, False, False]
    for registration in guests[1:]:
        confirmed = services.confirm_guest(registration=registration, token=registration.token)
        assert confirmed.status == Registration.Status.CONFIRMED
    # The last place is still held for the first: the next confirmed guest waits.
    late = services.register(event=event, guest=services.Guest("Late", "late@example.net"))
    late = services.confirm_guest(registration=late, token=late.token)
    assert late.status == Registration.Status.WAITLISTED
    first = services.confirm_guest(registration=guests[0], token=guests[0].token)
    assert first.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(
    ("same_block", "other_block"),
    [
        (["203.0.113.1", "203.0.113.2", "203.0.113.200", "203.0.113.254"], "203.0.114.1"),
        (
            ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9", "2001:db8:1:2:a::b"],
            "2001:db8:1:3::1",
        ),
    ],
    ids=["ipv4", "ipv6"],
)
def test_one_address_block_holds_at_most_a_few_places(client, settings, same_block, other_block):
    settings.GUEST_HOLDS_MAX_PERCENT = 100
    settings.GUEST_HOLDS_PER_NETWORK = 3
    event = make_event(capacity=40, registration_policy=Event.RegistrationPolicy.ANYONE)
    for n, ip in enumerate(same_block):
        assert post_guest(client, event, n, ip).status_code == 302
    assert holding(event).count() == 3
    last = Registration.objects.get(event=event, email="guest3@example.net")
    assert last.status == Registration.Status.PENDING and not last.holds_place
    # Another network still gets its hold, and a confirmed guest of the first gets a place.
    post_guest(client, event, 9, other_block)
    assert Registration.objects.get(event=event, email="guest9@example.net").holds_place
    confirmed = services.confirm_guest(registration=last, token=last.token)
    assert confirmed.status == Registration.Status.CONFIRMED
    # The address block is kept only while a place is held.
    assert confirmed.hold_network == ""
    assert set(holding(event).values_list("hold_network", flat=True)) == {
        services.address_block(same_block[0]),
        services.address_block(other_block),
    }


def test_limits_do_not_touch_members_or_staff(settings, staff_user):
    settings.GUEST_HOLDS_MAX_PERCENT = 25
    event = make_event(capacity=3, registration_policy=Event.RegistrationPolicy.ANYONE)
    services.register(event=event, guest=services.Guest("A", "a@example.net"))
    members = [make_member_user(n) for n in (1, 2)]
    for user in members[:1]:
        assert (
            services.register(event=event, user=user, by=user).status
            == Registration.Status.CONFIRMED
        )
    staff_guest = services.register(
        event=event, guest=services.Guest("S", "s@example.net"), by=staff_user
    )
    assert staff_guest.status == Registration.Status.CONFIRMED
    # Full now (one hold, one member, one staff guest): the next member waits in line.
    assert (
        services.register(event=event, user=members[1], by=members[1]).status
        == Registration.Status.WAITLISTED
    )
