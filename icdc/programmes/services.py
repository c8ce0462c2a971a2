"""Loading programme definitions (SPEC §7): a version, once loaded, never changes."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from icdc.audit.services import record_event
from icdc.lib.refusals import Refusal

from .models import ProgrammeDefinition


def programme_definition_load(*, programme, source="", user=None):
    """Store ``programme`` (a checked ``Programme``) as a version; returns ``(definition, created)``.

    Idempotent: the same code and version with the same content is returned unchanged
    (``created`` False). The same code and version with other content is refused: a batch may
    already cite that version, so its rules must stay what they were; use a new version.
    """
    with transaction.atomic():
        existing = ProgrammeDefinition.objects.filter(code=programme.code, version=programme.version).first()
        if existing is None:
            try:
                with transaction.atomic():  # a savepoint: another loader may take the version meanwhile
                    definition = ProgrammeDefinition.objects.create(
                        code=programme.code, version=programme.version, title=programme.title,
                        document=programme.document, sha256=programme.sha256, source=str(source)[:200])
            except IntegrityError:
                existing = ProgrammeDefinition.objects.get(code=programme.code, version=programme.version)
            else:
                record_event(action="programmes.definition.load", user=user, obj=definition,
                             after={"code": definition.code, "version": definition.version,
                                    "sha256": definition.sha256, "source": definition.source})
                return definition, True
        if existing.sha256 != programme.sha256:
            raise Refusal(_("申报项目「%(code)s」的版本「%(version)s」已载入且内容不同；已载入的版本不可更改，"
                            "请为新内容使用新的版本号。"), code="programme_version_changed",
                          params={"code": programme.code, "version": programme.version})
        return existing, False
