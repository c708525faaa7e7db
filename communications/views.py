"""Members' side of email: the archive of announcements, preferences, one-click unsubscribe,
and event staff writing to an event's registrants."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from communications import announcements
from communications.forms import EventEmailForm
from communications.models import Announcement
from core.access import role_required
from core.templatetags.portal import render_markdown
from events.access import get_event_for
from events.services import MANAGE_REGISTRATIONS
from mail.models import Kind

MEMBERS_ONLY = "members.view_members_only_profile"


@require_safe
@role_required(MEMBERS_ONLY)
def archive(request):
    page = Paginator(announcements.archive(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "communications/archive.html", {"page_obj": page})


@require_safe
@role_required(MEMBERS_ONLY)
def announcement_detail(request, pk):
    announcement = get_object_or_404(announcements.archive(request.user), pk=pk)
    subject, body = announcements.translated(announcement)
    return render(
        request,
        "communications/announcement.html",
        {
            "announcement": announcement,
            "subject": subject,
            "body_html": mark_safe(render_markdown(body)),  # noqa: S308 - sanitised by nh3
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(MANAGE_REGISTRATIONS)
def event_email(request, slug):
    """Event staff: write to the confirmed, waitlisted, checked-in or all registrants;
    preview with the exact number of recipients, then queue."""
    event = get_event_for(request.user, slug)
    form = EventEmailForm(request.POST or None)
    context = {"event": event, "form": form}
    if request.method == "POST" and form.is_valid():
        announcement = Announcement(
            kind=Kind.EVENT_NEWS,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            event=event,
            event_audience=form.cleaned_data["audience"],
            featured_event=event,
            created_by=request.user,
        )
        count = announcements.count(announcement)
        if "send" in request.POST:
            if not count:
                messages.error(request, _("Nobody to send to."))
            else:
                with transaction.atomic():
                    announcement.save()
                    announcements.schedule(announcement=announcement)
                messages.success(
                    request, _("Your message is on its way to %(count)s people.") % {"count": count}
                )
                return redirect("events:attendees", slug=event.slug)
        context.update(
            preview=True,
            count=count,
            body_html=mark_safe(render_markdown(announcement.body)),  # noqa: S308 - nh3
            subject=announcement.subject,
        )
    elif request.method == "POST":
        return render(request, "communications/event_email.html", context, status=400)
    return render(request, "communications/event_email.html", context)
