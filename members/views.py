from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from members.models import Member, Organization


class MemberListView(ListView):
    """The directory: approved profiles this visitor or member may see."""

    template_name = "members/member_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Member.objects.listed_for(self.request.user).select_related("organization")


class MemberDetailView(DetailView):
    template_name = "members/member_detail.html"

    def get_object(self):
        members = Member.objects.listed_for(self.request.user).select_related("organization")
        return get_object_or_404(members, slug=self.kwargs["slug"])


class OrganizationListView(ListView):
    template_name = "members/organization_list.html"
    paginate_by = 30
    queryset = Organization.objects.prefetch_related("programs")


class OrganizationDetailView(DetailView):
    template_name = "members/organization_detail.html"

    def get_queryset(self):
        listed = Member.objects.listed_for(self.request.user)
        return Organization.objects.prefetch_related(
            "programs", Prefetch("members", queryset=listed, to_attr="listed_members")
        )
