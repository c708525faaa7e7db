"""groups answers what members asks of every app: its part of a person's own-data export."""

from groups.models import GroupMembership, Post, Report, Thread, ThreadRead
from members import own_data


@own_data.part(
    "groups",
    covers=[
        "groups.GroupMembership.member",
        "groups.Thread.author",
        "groups.Post.author",
        "groups.Report.reporter",
        "groups.ThreadRead.member",
    ],
)
def groups_of(user):
    return {
        "memberships": [
            {
                "group": m.group.name,
                "role": m.role,
                "state": m.state,
                "emails": m.notify,
                "since": m.created_at.isoformat(),
            }
            for m in GroupMembership.objects.filter(member=user).select_related("group")
        ],
        "threads_started": [
            {"group": t.group.name, "title": t.title, "started": t.created_at.isoformat()}
            for t in Thread.objects.filter(author=user).select_related("group")
        ],
        "posts": [
            {
                "group": p.thread.group.name,
                "thread": p.thread.title,
                "text": p.body,
                "posted": p.created_at.isoformat(),
                "edited": p.edited_at.isoformat() if p.edited_at else None,
            }
            for p in Post.objects.filter(author=user).select_related("thread__group")
        ],
        "reports": [
            {
                "thread": r.post.thread.title,
                "reason": r.reason,
                "reported": r.created_at.isoformat(),
            }
            for r in Report.objects.filter(reporter=user).select_related("post__thread")
        ],
        "read_marks": [
            {"thread": r.thread.title, "read": r.read_at.isoformat()}
            for r in ThreadRead.objects.filter(member=user).select_related("thread")
        ],
    }
