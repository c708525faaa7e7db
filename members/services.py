"""What changes several records, or sends email, happens here: keyword-only functions,
each in one transaction. Views and the back office call these; nothing hides in signals."""

import datetime

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import site_url
from core.slugs import unique_slug
from imports.models import ImportJob
from mail import outbox
from members import own_data, roles
from members.models import AccountDeletion, ContactMessage, Member, User
from members.signals import account_deleting

MEMBERS_GROUP = roles.MEMBERS


class ContactLimitReached(Exception):
    pass


def log_change(*, member, by, message):
    """One line of the member's change history in the back office."""
    if by is None or not by.pk:
        return
    LogEntry.objects.log_actions(by.pk, [member], CHANGE, message, single_object=True)


@transaction.atomic
def save_profile(*, form, user):
    """Save a ProfileForm/JoinForm for this user, with its tags and search text."""
    member = form.save(commit=False)
    member.user = user
    if not member.slug:
        member.slug = unique_slug(Member, member.name, fallback="member")
    member.save()
    form.save_m2m()
    member.refresh_search_text()
    return member


@transaction.atomic
def apply(*, form, user):
    """A signed-in user applies to join: the profile is saved as an application and the
    secretariat can review it in the back office. The applicant gets a receipt."""
    if Member.objects.filter(user=user).exists():
        raise PermissionDenied("already applied")
    form.instance.status = Member.Status.APPLIED
    form.instance.applied_at = timezone.now()
    member = save_profile(form=form, user=user)
    outbox.send("membership_applied", to=user, context={"member": member})
    return member


# The one rule between membership status and the Members group. Every path that sets a
# status (these services, the back office, imports, demo data) ends with one of these two.


def sync_member_groups(users=None):
    """Make the Members group hold exactly the accounts whose member profile is approved.

    `users`: the accounts to look at (a User queryset, users or ids); None for every account.
    A fixed number of queries whatever the number of accounts (the bulk form for imports and
    demo data). Returns (added, removed)."""
    group = Group.objects.filter(name=MEMBERS_GROUP).first()
    if group is None:  # only between a flush and the next migrate (members/apps.py)
        return 0, 0
    through = User.groups.through
    in_group = through.objects.filter(group=group)
    approved = Member.objects.approved()
    if users is not None:
        if isinstance(users, models.QuerySet):
            ids = users.values("pk")
        else:
            ids = [getattr(u, "pk", u) for u in users]
        in_group = in_group.filter(user_id__in=ids)
        approved = approved.filter(user_id__in=ids)
    removed, _ = in_group.exclude(user_id__in=Member.objects.approved().values("user_id")).delete()
    missing = approved.exclude(user__groups=group).values_list("user_id", flat=True)
    added = through.objects.bulk_create(
        [through(user_id=user_id, group=group) for user_id in missing], ignore_conflicts=True
    )
    return len(added), removed


def sync_member_group(user):
    """The rule for one account: in the Members group if and only if approved."""
    sync_member_groups([user])


@transaction.atomic
def set_roles(*, user, roles, offered):
    """Give `user` exactly `roles` among the `offered` groups (those the acting admin may
    hand out: members.protection.assignable_groups); groups not offered stay as they were.
    Network admins work in the back office, so that role brings staff status with it (and
    takes it away, unless the account is a superuser)."""
    from members.roles import NETWORK_ADMINS

    offered = list(offered)
    wanted = {group.pk for group in roles if group in offered}
    user.groups.remove(*[group for group in offered if group.pk not in wanted])
    user.groups.add(*[group for group in offered if group.pk in wanted])
    admin_role = next((group for group in offered if group.name == NETWORK_ADMINS), None)
    if admin_role is not None and not user.is_superuser:
        is_staff = admin_role.pk in wanted
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    sync_member_group(user)


def _decide(member, status, by, email):
    member.status = status
    member.decided_at = timezone.now()
    member.save(update_fields=["status", "decided_at", "member_since", "region", "oecd"])
    sync_member_group(member.user_id)
    log_change(member=member, by=by, message=f"Status set to {status}.")
    if email:
        context = {"member": member, "sign_in_url": site_url(reverse("account_login"))}
        outbox.send(email, to=member.user, context=context)


@transaction.atomic
def approve(*, member, by=None):
    """Approve an application (or renew a lapsed member): listed, in the Members group,
    emailed."""
    if member.status == Member.Status.APPROVED:
        return False
    if not member.member_since:
        member.member_since = timezone.localdate()
    _decide(member, Member.Status.APPROVED, by, "membership_approved")
    return True


@transaction.atomic
def reject(*, member, by=None):
    if member.status != Member.Status.APPLIED:
        return False
    _decide(member, Member.Status.REJECTED, by, "membership_rejected")
    return True


@transaction.atomic
def lapse(*, member, by=None):
    """Membership lapsed: no longer listed, no longer a member; no email."""
    if member.status != Member.Status.APPROVED:
        return False
    _decide(member, Member.Status.LAPSED, by, None)
    return True


def contact_messages_left(*, sender):
    since = timezone.now() - datetime.timedelta(days=1)
    sent = ContactMessage.objects.filter(sender=sender, sent_at__gte=since).count()
    return max(ContactMessage.DAILY_LIMIT - sent, 0)


@transaction.atomic
def contact(*, sender, recipient, subject, body):
    """Email a member on behalf of another, with the sender as reply-to. The recipient's
    address is never shown to the sender. At most 20 messages per sender a day."""
    # Serialise one sender's messages so two tabs can't both pass the limit.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    if contact_messages_left(sender=sender) <= 0:
        raise ContactLimitReached
    ContactMessage.objects.create(sender=sender, recipient=recipient)
    sender_member = Member.objects.filter(user=sender).first()
    context = {
        "sender_name": sender_member.name if sender_member else sender.email,
        "sender_profile": sender_member,
        "recipient": recipient,
        "subject": subject,
        "body": body,
    }
    outbox.send("member_contact", to=recipient.user, context=context, reply_to=sender.email)


def _when(value):
    return value.isoformat() if value else None


def export_data(*, user):
    """Everything the portal holds about this user, as a JSON-ready dict: the parts of
    `members.own_data` (this app's below, the others' in their `receivers`)."""
    return {"exported_at": timezone.now().isoformat(), **own_data.collect(user)}


@own_data.part("account", covers=["account.EmailAddress.user"])
def _account(user):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": _when(user.last_login),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in user.emailaddress_set.all()
        ],
    }


@own_data.part("member", covers=["members.Member.user", "members.Organization.contact"])
def _member(user):
    member = Member.objects.filter(user=user).select_related("organization").first()
    if member is None:
        return None
    return {
        "name": member.name,
        "slug": member.slug,
        "position": member.position,
        "organization": member.organization.name if member.organization else None,
        "country": str(member.country.code or ""),
        "region": member.region,
        "role_category": member.role_category,
        "expertise": sorted(t.name for t in member.expertise.all()),
        "languages": member.languages,
        "bio": member.bio,
        "website": member.website,
        "orcid": member.orcid,
        "linkedin": member.linkedin,
        "photo": member.photo.url if member.photo else None,
        "status": member.status,
        "visibility": member.visibility,
        "show_email": member.show_email,
        "member_since": _when(member.member_since),
        "motivation": member.motivation,
        "applied_at": _when(member.applied_at),
        "organizations_contact_for": [o.name for o in member.contact_for.all()],
    }


@own_data.part("contact_messages_sent", covers=["members.ContactMessage.sender"])
def _contact_messages_sent(user):
    # Only who and when: the text went out by email and is not kept.
    return [
        {"to": m.recipient.name, "sent_at": m.sent_at.isoformat()}
        for m in user.contact_messages_sent.select_related("recipient")
    ]


@own_data.part("contact_messages_received", covers=["members.ContactMessage.recipient"])
def _contact_messages_received(user):
    received = ContactMessage.objects.filter(recipient__user=user).order_by("sent_at", "pk")
    names = dict(
        Member.objects.filter(user__in=received.values("sender")).values_list("user", "name")
    )
    return [
        {"from": names.get(m.sender_id, ""), "sent_at": m.sent_at.isoformat()} for m in received
    ]


@own_data.part("back_office_actions", covers=["admin.LogEntry.user"])
def _back_office_actions(user):
    rows = LogEntry.objects.filter(user=user).select_related("content_type").order_by("pk")
    return [
        {
            "at": e.action_time.isoformat(),
            "action": {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}.get(
                e.action_flag, str(e.action_flag)
            ),
            "record_type": e.content_type.model if e.content_type else "",
            "record": e.object_repr,
            "change": e.get_change_message(),
        }
        for e in rows
    ]


@own_data.part("imports_started", covers=["imports.ImportJob.created_by"])
def _imports_started(user):
    return [
        {
            "what": job.title,
            "file": job.file_name,
            "status": job.status,
            "started_at": _when(job.created_at),
            "finished_at": _when(job.finished_at),
        }
        for job in ImportJob.objects.filter(created_by=user).order_by("created_at")
    ]


@transaction.atomic
def delete_account(*, user, requested_by):
    """Delete the account and everything of it: the profile leaves the directory at once,
    the photo file is removed, and the back office keeps who asked and when."""
    member = Member.objects.filter(user=user).first()
    AccountDeletion.objects.create(
        email=user.email,
        name=member.name if member else "",
        requested_by=requested_by if requested_by.pk != user.pk else None,
        requested_by_email=requested_by.email,
    )
    # Other apps let go of the user (events keeps registrations for its counts, anonymised).
    account_deleting.send(sender=User, user=user)
    if member and member.photo:
        photo = member.photo
        transaction.on_commit(lambda: photo.storage.delete(photo.name))
    # The profile (and its tags, contact-message records) and the account go together.
    if member:
        member.expertise.clear()
        member.delete()
    user.delete()
