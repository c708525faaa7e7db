"""Event staff's attendee import at scale: registered in bulk under one lock on the event
(places in file order, then the waitlist in file order), members found whatever the case
of their address, and big confirmed files run by the task queue."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events import services
from events.imports import import_rows, read_rows
from events.models import Registration
from imports.models import ImportJob
from mail.models import Message

HEADER = "name,email,organization,country,listed"


def upload(*rows, name="attendees.csv"):
    content = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def guests(n, start=1):
    return [f"Guest {i},guest{i}@example.org,School {i},Ghana,yes" for i in range(start, start + n)]


def import_url(event):
    return reverse("events:import", kwargs={"slug": event.slug})


def test_places_then_waitlist_in_file_order(
    staff_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    event.capacity = 10
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            import_url(event), {"file": upload(*guests(30)), "confirm": "1"}
        )
    assert response.status_code == 302
    confirmed = event.registrations.confirmed().order_by("pk")
    assert [r.name for r in confirmed] == [f"Guest {i}" for i in range(1, 11)]
    waitlisted = Registration.objects.get(email="guest11@example.org")
    assert services.waitlist_position(waitlisted) == 1
    assert services.waitlist_position(Registration.objects.get(email="guest30@example.org")) == 20
    assert len(mailoutbox) == 30  # each told, after the commit
    assert Registration.objects.get(email="guest3@example.org").country == "GH"


def test_a_member_is_found_whatever_the_case_of_the_address(staff_client, event, members):
    staff_client.post(
        import_url(event),
        {"file": upload("Someone,MEMBER1@Example.ORG,,,no"), "confirm": "1"},
    )
    registration = Registration.objects.get()
    assert registration.user == members[0]
    assert registration.name == "Member 0001"


def test_a_cancelled_registration_is_taken_up_again(staff_client, event, staff_user):
    old = services.register(
        event=event, guest=services.Guest("Guest 1", "guest1@example.org"), by=staff_user
    )
    services.cancel(registration=old, by=staff_user)
    staff_client.post(import_url(event), {"file": upload(*guests(2)), "confirm": "1"})
    old.refresh_from_db()
    assert old.status == Registration.Status.CONFIRMED and old.cancelled_at is None
    assert Registration.objects.count() == 2


def test_the_number_of_queries_does_not_grow_with_the_rows(
    staff_user, event, django_assert_max_num_queries
):
    event.capacity = None
    event.save()
    with django_assert_max_num_queries(25):
        rows = read_rows(event, upload(*guests(600)))
        created = import_rows(event, rows, by=staff_user)
    assert len(created) == 600
    assert event.registrations.confirmed().count() == 600


def test_the_preview_of_a_big_file_shows_its_first_rows(staff_client, event):
    response = staff_client.post(import_url(event), {"file": upload(*guests(400)), "preview": "1"})
    assert response.status_code == 200
    assert "400 rows are valid" in response.text
    assert "The first 50 rows are shown." in response.text
    assert "guest50@example.org" in response.text and "guest51@" not in response.text
    assert not Registration.objects.exists()


def test_a_big_confirmed_import_runs_in_the_queue(
    staff_client,
    event,
    settings,
    tmp_path,
    mailoutbox,
    django_capture_on_commit_callbacks,
    run_queued_tasks,
):
    settings.IMPORT_BACKGROUND_ROWS = 100
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    event.capacity = 150
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            import_url(event), {"file": upload(*guests(200)), "confirm": "1"}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_job", kwargs={"pk": job.pk})
    assert not Registration.objects.exists()
    assert "Attendees of ALL-IN Summit 2030" in staff_client.get(response["Location"]).text

    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()

    assert event.registrations.confirmed().count() == 150
    assert event.registrations.waitlisted().count() == 50
    assert Message.objects.filter(template__startswith="event_registration_").count() == 200
    page = staff_client.get(response["Location"])
    assert "200 attendees imported." in page.text
    assert reverse("events:attendees", kwargs={"slug": event.slug}) in page.text


def test_a_queued_import_saves_nothing_if_someone_registered_meanwhile(
    staff_client,
    staff_user,
    event,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    run_queued_tasks,
):
    settings.IMPORT_BACKGROUND_ROWS = 10
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    event.capacity = None
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            import_url(event), {"file": upload(*guests(20)), "confirm": "1"}
        )
    services.register(
        event=event, guest=services.Guest("Guest 7", "GUEST7@example.org"), by=staff_user
    )
    run_queued_tasks()
    assert Registration.objects.count() == 1
    page = staff_client.get(response["Location"])
    assert "Nothing was imported" in page.text
    assert "<td>8</td><td>email</td><td>Already registered for this event.</td>" in page.text
