"""Reading programme definitions (no writes here)."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .definition import load_programme
from .models import ProgrammeDefinition

#: The platform's own programme (信息消费示范城市); ``settings.ICDC_PROGRAMME`` may name another.
DEFAULT_CODE = "info-consumption-demonstration-city"
SHIPPED_DIR = Path(settings.BASE_DIR) / "data" / "programmes"


def shipped_files():
    """The programme files that ship with the project, in name order."""
    return sorted(SHIPPED_DIR.glob("*.yaml"))


@lru_cache(maxsize=8)
def shipped_programme(code):
    """The shipped file's Programme for ``code`` (read once per process), or None."""
    for path in shipped_files():
        programme = load_programme(path)
        if programme.code == code:
            return programme
    return None


def definitions():
    return ProgrammeDefinition.objects.defer("document")


def current_programme(code=None):
    """The rules in force for ``code`` (default: the platform's programme) when nothing more
    specific names them: the version loaded last, else the shipped file.

    A batch names its own copy (``Batch.programme_document``); use that wherever there is a batch.
    """
    code = code or getattr(settings, "ICDC_PROGRAMME", DEFAULT_CODE)
    definition = ProgrammeDefinition.objects.filter(code=code).order_by("-loaded_at", "-id").first()
    if definition is not None:
        return definition.programme
    programme = shipped_programme(code)
    if programme is None:
        raise LookupError(f"no programme definition {code!r} loaded or shipped")
    return programme
