"""The live checklist (art. 11): what the programme requires that the draft does not have yet.

Items are read from the batch's copy of the programme definition; nothing here names a type,
a domain or a material.
"""

from django.utils.translation import gettext_lazy as _


def missing_items(application):
    """Human-readable items still missing, in form order (empty: ready to submit)."""
    missing = []
    if not application.type_code:
        missing.append(_("申报类型"))
    return missing
