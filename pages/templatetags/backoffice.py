"""The back office's front page: what waits for someone, with links to the filtered lists."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.inclusion_tag("admin/_waiting.html", takes_context=True)
def waiting(context):
    """Pending applications, case studies to review and failed emails, each counted in one
    query and only for someone who may open the list it links to."""
    from mail.models import Message
    from members.models import Member
    from resources.models import CaseStudy

    user = context["request"].user
    items = []

    def add(model, queryset, filters, label, empty):
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            return
        count = queryset.count()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        items.append(
            {
                "count": count,
                "label": label(count) if count else empty,
                "url": f"{url}?{urlencode(filters)}",
            }
        )

    add(
        Member,
        Member.objects.filter(status=Member.Status.APPLIED),
        {"status__exact": Member.Status.APPLIED},
        lambda n: ngettext("membership application waits", "membership applications wait", n),
        _("No membership application waits."),
    )
    review = [CaseStudy.Status.SUBMITTED, CaseStudy.Status.IN_REVIEW]
    add(
        CaseStudy,
        CaseStudy.objects.filter(status__in=review),
        {"status__in": ",".join(review)},
        lambda n: ngettext("case study to review", "case studies to review", n),
        _("No case study waits for review."),
    )
    add(
        Message,
        Message.objects.filter(state=Message.State.FAILED),
        {"state__exact": Message.State.FAILED},
        lambda n: ngettext("email failed to send", "emails failed to send", n),
        _("No email failed."),
    )
    review_queue = None
    if user.has_perm("resources.review_case_study"):
        review_queue = reverse("resources:review_queue")
    return {"items": items, "review_queue": review_queue}
