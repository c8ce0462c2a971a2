"""Reads for the applications pages."""

from . import workflow
from .models import Application


def recommendation_cap_left(application):
    """How many more the province may recommend in this batch (None: no cap)."""
    programme = application.batch.programme()
    cap = programme.recommendation_cap(programme.route_for(application.city))
    if cap is None:
        return None
    used = Application.objects.filter(batch=application.batch, province=application.province,
                                      status=workflow.RECOMMENDED).count()
    return cap - used
