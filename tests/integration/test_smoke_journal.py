from dosewise.services import journal
from tests.conftest import NOW


def test_dose_is_stored_with_mg(person):
    out = journal.record_dose(person, product="calm", amount="5 drops", now=NOW)
    assert out.entry.cbd_mg == 8.325
    j = journal.read_journal(person, days=1, now=NOW)
    assert j.days[0].cbd_mg == 8.32
