import pytest

from icdc.divisions.datafile import read_division_data


@pytest.fixture(scope="session")
def division_data():
    """The shipped data file, parsed and checked (no database)."""
    return read_division_data()


@pytest.fixture(scope="session")
def rows_by_code(division_data):
    return {row["code"]: row for row in division_data.rows}


@pytest.fixture
def loaded(db):
    """The reference divisions in the test database, as `make migrate` leaves them."""
    from icdc.divisions.services import load_divisions

    return load_divisions()
