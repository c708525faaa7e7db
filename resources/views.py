from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from resources.models import Resource

# A plain list per row: taggit's manager costs a queryset per row otherwise.
TOPICS = Prefetch("topics", to_attr="topic_list")


class ResourceListView(ListView):
    """The library: every resource, members-only ones as title and abstract to visitors."""

    template_name = "resources/resource_list.html"
    paginate_by = 20
    queryset = Resource.objects.prefetch_related(TOPICS).order_by("-publication_year", "title")


class ResourceDetailView(DetailView):
    template_name = "resources/resource_detail.html"
    queryset = Resource.objects.select_related("related_event").prefetch_related(TOPICS)

    def get_context_data(self, **kwargs):
        full_access = (
            Resource.objects.visible_to(self.request.user).filter(pk=self.object.pk).exists()
        )
        return super().get_context_data(full_access=full_access, **kwargs)


class CaseStudyListView(ResourceListView):
    template_name = "resources/case_study_list.html"
    queryset = ResourceListView.queryset.filter(type=Resource.Type.CASE_STUDY)
