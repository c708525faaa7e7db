"""The page of a background import: its progress, then its result."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from imports.models import ImportJob


@require_safe
@never_cache
@login_required
def import_job(request, pk):
    """Only the person who started the import sees it (404 for anyone else)."""
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    return render(request, "imports/job.html", {"job": job})
