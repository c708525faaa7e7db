"""Per-address limits count the real client: X-Forwarded-For only from a trusted proxy."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.clientip import client_ip
from events.models import Event, Registration
from members.models import User
from tests.helpers import make_event, make_user

PASSWORD = "correct horse battery"
PROXY = "10.0.0.5"


def request_from(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]


def test_no_proxy_configured_ignores_the_header(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_spoofed_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # The client wrote its own header: the proxy appended the address it saw.
        ("1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two proxies of ours in a row: the right-most address that is not one of them.
        ("1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        ("2001:db8::1", "2001:db8::1"),
        # Nothing usable: the proxy itself.
        ("", PROXY),
        ("10.0.0.8", PROXY),
        ("not-an-address", PROXY),
        ("1.2.3.4\x00", PROXY),
    ],
)
def test_header_through_a_trusted_proxy_is_used(behind_proxy, forwarded, client):
    assert client_ip(request_from(PROXY, forwarded)) == client


def test_bad_proxy_setting_fails_loudly():
    from tests.allin_portal.test_health_and_settings import run_manage

    result = run_manage("check", SECRET_KEY="x", TRUSTED_PROXIES="10.0.0.0/24,proxy.example")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def sign_in(client, email, password, address):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_wrong_passwords_from_five_clients_do_not_block_a_sixth(client, behind_proxy):
    make_user("zara@example.org")
    make_user("omar@example.org")
    for n in range(5):
        response = sign_in(client, "zara@example.org", "wrong", f"198.51.100.{n + 1}")
        assert "Too many" not in response.text
    response = sign_in(client, "omar@example.org", PASSWORD, "198.51.100.6")
    assert response.status_code == 302
    assert "Sign out" in client.get(reverse("home")).text


@pytest.mark.django_db
def test_typos_at_one_venue_do_not_lock_out_the_others_there(client, behind_proxy):
    """One address (a venue's Wi-Fi): five typos of one person, then a colleague signs in."""
    make_user("zara@example.org")
    make_user("omar@example.org")
    for _ in range(5):
        sign_in(client, "zara@example.org", "wrong", "198.51.100.1")
    response = sign_in(client, "omar@example.org", PASSWORD, "198.51.100.1")
    assert response.status_code == 302


@pytest.mark.django_db
def test_guessing_one_account_from_many_addresses_is_still_stopped(client, behind_proxy):
    make_user("zara@example.org")
    for n in range(5):
        sign_in(client, "ZARA@example.org", "wrong", f"198.51.100.{n + 1}")
    response = sign_in(client, "zara@example.org", PASSWORD, "198.51.100.6")
    assert "Too many failed login attempts" in response.text


@pytest.mark.django_db
def test_spoofed_addresses_do_not_escape_the_per_address_limit(client, settings):
    """Without a trusted proxy, a header that changes each time is the same client."""
    settings.TRUSTED_PROXIES = []
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip"}
    for n in range(3):
        sign_in(client, f"nobody{n}@example.org", "wrong", f"198.51.100.{n + 1}")
    make_user("omar@example.org")
    response = sign_in(client, "omar@example.org", PASSWORD, "198.51.100.9")
    assert "Too many failed login attempts" in response.text


def sign_up(client, n, address):
    return client.post(
        reverse("account_signup"),
        {"email": f"new{n}@example.org", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_sign_up_limit_is_per_client_behind_the_proxy(client, behind_proxy, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    for n in range(3):
        assert sign_up(client, n, "198.51.100.1").status_code == 302
    assert sign_up(client, 3, "198.51.100.1").status_code == 429
    assert sign_up(client, 4, "198.51.100.2").status_code == 302
    assert set(User.objects.values_list("email", flat=True)) == {
        "new0@example.org",
        "new1@example.org",
        "new2@example.org",
        "new4@example.org",
    }


@pytest.mark.django_db
def test_guest_registration_limit_is_per_client_behind_the_proxy(client, behind_proxy, settings):
    settings.GUEST_REGISTRATIONS_PER_IP_HOUR = 2
    event = make_event(registration_policy=Event.RegistrationPolicy.ANYONE)
    url = reverse("events:register", kwargs={"slug": event.slug})

    def register(n, address):
        data = {
            "name": f"Guest {n}",
            "email": f"guest{n}@example.net",
            "organization": "",
            "country": "JO",
            "role": "policymaker",
        }
        return client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    assert register(1, "198.51.100.1").status_code == 302
    assert register(2, "198.51.100.1").status_code == 302
    assert register(3, "198.51.100.1").status_code == 429
    assert register(4, "198.51.100.2").status_code == 302
    # A spoofed header straight to the portal (not through the proxy) counts the peer.
    assert register(5, "198.51.100.3").status_code == 302
    for n, spoofed in ((6, "198.51.100.50"), (7, "198.51.100.51"), (8, "198.51.100.52")):
        response = client.post(
            url,
            {"name": "X", "email": f"guest{n}@example.net", "country": "JO", "role": "policymaker"},
            REMOTE_ADDR="203.0.113.1",
            HTTP_X_FORWARDED_FOR=spoofed,
        )
        assert response.status_code == (429 if n == 8 else 302)
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        f"guest{n}@example.net" for n in (1, 2, 4, 5, 6, 7)
    ]
