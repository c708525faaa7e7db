"""No file makes an import answer 500: both CSV imports (members in the back office,
attendees on the event staff pages) go through the one reader in core/csvimport.py
and answer every bad file with a message naming the row and column, saving nothing."""

import codecs
import datetime
import random

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from members.models import Member, User

MEMBERS_HEADER = "email,name,organization,website,expertise"
ATTENDEES_HEADER = "name,email,organization,country,listed"


@pytest.fixture
def event(db):
    starts_at = timezone.now() + datetime.timedelta(days=30)
    return Event.objects.create(
        slug="summit",
        title="Summit",
        series=Event.Series.SUMMIT,
        format=Event.Format.IN_PERSON,
        city="Doha",
        country="QA",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=8),
        timezone="Asia/Qatar",
        capacity=None,
        guests_allowed=True,
    )


@pytest.fixture
def staff_client(client, db):
    user = User.objects.create_user(email="staff@example.org", password="x")
    user.groups.add(Group.objects.get(name="Event staff"))
    client.force_login(user)
    return client


class MemberImport:
    header = MEMBERS_HEADER

    def __init__(self, client):
        self.client = client

    def row(self, n=1, **cells):
        values = {
            "email": f"person{n}@example.org",
            "name": f"Person {n}",
            "organization": "",
            "website": "",
            "expertise": "",
            **cells,
        }
        return ",".join(values[c] for c in self.header.split(","))

    def post(self, content, *, save=True, name="people.csv"):
        upload = SimpleUploadedFile(name, content, content_type="text/csv")
        data = {"kind": "members", "file": upload}
        if not save:
            data["dry_run"] = "on"
        return self.client.post(reverse("admin:members_member_import"), data)

    def saved(self):
        return Member.objects.count()


class AttendeeImport:
    header = ATTENDEES_HEADER

    def __init__(self, client, event):
        self.client, self.event = client, event

    def row(self, n=1, **cells):
        values = {
            "name": f"Person {n}",
            "email": f"person{n}@example.org",
            "organization": "",
            "country": "",
            "listed": "no",
            **cells,
        }
        return ",".join(values[c] for c in self.header.split(","))

    def post(self, content, *, save=True, name="people.csv"):
        upload = SimpleUploadedFile(name, content, content_type="text/csv")
        data = {"file": upload, "confirm" if save else "preview": "1"}
        return self.client.post(reverse("events:import", kwargs={"slug": self.event.slug}), data)

    def saved(self):
        return Registration.objects.count()


@pytest.fixture(params=["members", "attendees"])
def importer(request, db):
    if request.param == "members":
        return MemberImport(request.getfixturevalue("network_admin_client"))
    return AttendeeImport(request.getfixturevalue("staff_client"), request.getfixturevalue("event"))


def lines(*rows):
    return ("\n".join(rows) + "\n").encode()


def refused(importer, content, message, status=400):
    response = importer.post(content)
    assert response.status_code == status, response.status_code
    assert message in response.text, response.text[-3000:]
    assert importer.saved() == 0
    return response


def test_a_cell_over_the_csv_modules_limit_is_a_row_error(importer):
    huge = "x" * 140_000
    content = lines(importer.header, importer.row(1), importer.row(2, name=huge))
    refused(importer, content, "A cell is longer than 131,072 characters")


def test_a_nul_character_is_named_by_row_and_column(importer):
    content = lines(importer.header, importer.row(1), importer.row(2, name="Bad\x00Name"))
    refused(importer, content, "Contains a NUL character")


def test_a_row_with_more_cells_than_columns(importer):
    content = lines(importer.header, importer.row(1) + ",surplus,cells")
    refused(importer, content, "This row has 7 cells but the header names 5 columns.")


@pytest.mark.parametrize(
    ("column", "length", "limit"),
    [("name", 250, 200), ("organization", 250, 200)],
)
def test_attendee_values_longer_than_the_column(staff_client, event, column, length, limit):
    importer = AttendeeImport(staff_client, event)
    content = lines(importer.header, importer.row(1, **{column: "é" * length}))
    response = refused(importer, content, f"At most {limit} characters (this has {length})")
    assert "nothing was imported" in response.text


def test_member_website_and_expertise_longer_than_their_columns(network_admin_client):
    importer = MemberImport(network_admin_client)
    website = "https://example.org/" + "a" * 230
    content = lines(
        importer.header,
        importer.row(1, website=website),
        importer.row(2, expertise="leadership; " + "t" * 150),
        importer.row(3, name="n" * 201),
        importer.row(4, email="a" * 250 + "@example.org"),
    )
    response = refused(importer, content, "At most 200 characters (this has 250)")
    assert "At most 100 characters (this has 150)" in response.text
    assert "At most 200 characters (this has 201)" in response.text
    assert "At most 254 characters (this has 262)" in response.text
    # Each error names its row and column in the error table.
    table = response.text.split('id="import-errors"')[1]
    assert "<td>2</td><td>website</td>" in table
    assert "<td>3</td><td>expertise</td>" in table


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty."),  # Django's own check of the upload
        (b"  \r\n\n", "The file is empty."),
        ("Prénom,Émail\nBé,b@example.org\n".encode("latin-1"), "not UTF-8 text"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4, "spreadsheet or another binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "spreadsheet or another binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "spreadsheet or another binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "spreadsheet or another binary"),
        (b"who,where\nA,B\n", "Unknown column(s): who, where."),
    ],
)
def test_files_that_are_not_an_import(importer, content, message):
    refused(importer, content, message)


def test_header_only(importer):
    refused(importer, lines(importer.header), "The file has a header row but no rows under it.")


def test_missing_and_duplicate_columns(importer):
    refused(importer, lines("name,organization", "A,B"), "lacks the column(s): email")
    refused(
        importer,
        lines(importer.header + ",Email", importer.row(1) + ",x@example.org"),
        "names the column(s) email twice",
    )


def test_a_huge_number_of_columns(importer):
    header = importer.header + "," + ",".join(f"c{i}" for i in range(100_000))
    refused(importer, lines(header, importer.row(1)), "columns; an import has at most 50.")


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with its BOM, as Excel's "Unicode text"
        lambda text: text.replace(",", ";").encode("utf-8"),  # a European spreadsheet
        lambda text: text.replace(",", "\t").replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8-bom", "utf-16", "semicolons", "tabs-crlf"],
)
def test_other_encodings_and_delimiters_are_read(importer, encode):
    text = "\n".join([importer.header.upper(), importer.row(1, name="Zoë Ndlovu")]) + "\n"
    response = importer.post(encode(text))
    assert response.status_code in (200, 302), response.text[-2000:]
    assert importer.saved() == 1
    saved = (
        Member.objects.get() if isinstance(importer, MemberImport) else Registration.objects.get()
    )
    assert saved.name == "Zoë Ndlovu"


def test_file_at_and_over_the_size_limit(importer, settings):
    content = lines(importer.header, *(importer.row(n) for n in range(1, 40)))
    settings.IMPORT_MAX_BYTES = len(content) - 1
    refused(importer, content, "The file is larger than")
    settings.IMPORT_MAX_BYTES = len(content)
    response = importer.post(content)
    assert response.status_code in (200, 302)
    assert importer.saved() == 39


def test_the_documented_limit_is_ten_megabytes(settings):
    from allin_portal.settings import IMPORT_MAX_BYTES

    assert IMPORT_MAX_BYTES == 10 * 1024 * 1024


def test_random_and_mangled_files_never_answer_500(importer):
    """Seeded random bytes, and a good file cut, shuffled and sprinkled with quotes,
    NULs, separators and stray bytes: every answer is a page, never a server error."""
    rng = random.Random(20261123)  # noqa: S311 - a repeatable test, not a secret
    good = lines(importer.header, *(importer.row(n) for n in range(1, 6)))
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(15)]
    for _ in range(25):
        data = bytearray(good)
        for _ in range(rng.randrange(1, 12)):
            position = rng.randrange(len(data))
            data[position : position + rng.randrange(0, 3)] = rng.choice(
                [b'"', b"\x00", b",", b"\n", b"\r", b";", b"\xff", b"\xc3", b'""', b"\t"]
            )
        samples.append(bytes(data))
    for content in samples:
        response = importer.post(content)
        assert response.status_code in (200, 302, 400)
        assert importer.saved() in (0, 5)
        Member.objects.all().delete()
        Registration.objects.all().delete()
