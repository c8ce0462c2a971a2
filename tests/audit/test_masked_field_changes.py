"""A change to an encrypted or secret field alone is audited, without its value (issue 10.4).

Both sides of a masked field read "******", so comparing what the record shows made such a
change invisible: a mobile number could be changed with no trace in the trail.
"""

import pytest

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.audit.registry import MASK
from icdc.audit.verification import verify_chain
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OLD, NEW = "13812345678", "13987654321"


def _updates(user):
    return list(AuditRecord.objects.filter(action="audit.row.update", object_type="accounts.user",
                                           object_id=str(user.pk)).order_by("seq"))


@pytest.fixture
def user():
    user = make_user(Role.CITY_APPLICANT)
    user.mobile = OLD
    user.save()
    return user


def test_changing_only_the_encrypted_number_is_recorded_without_the_number(user):
    before = len(_updates(user))
    user.mobile = NEW
    user.save(update_fields=["mobile"])
    records = _updates(user)
    assert len(records) == before + 1
    record = records[-1]
    assert record.before == {"mobile": MASK} and record.after == {"mobile": MASK}
    stored = str(record.before) + str(record.after) + record.detail + record.object_repr
    assert OLD not in stored and NEW not in stored
    assert verify_chain().ok


def test_a_full_save_records_the_number_and_its_blind_index_as_changed_masked(user):
    user.mobile = NEW
    user.save()
    record = _updates(user)[-1]
    assert record.after == {"mobile": MASK, "mobile_hash": MASK}
    assert record.before == {"mobile": MASK, "mobile_hash": MASK}


def test_saving_the_same_number_again_records_nothing(user):
    count = len(_updates(user))
    user.mobile = OLD
    user.save()
    assert len(_updates(user)) == count
