"""Gap-free number series (dossier codes, ledger numbers), issued inside the caller's transaction."""
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .extensions import db
from .models import Counter


def next_number(agency_id: int, key: str) -> int:
    """The next number of the series; two clerks saving at once get consecutive numbers.

    One upsert locks the counter row until the caller commits, so a refused or failed intake
    rolls the number back with it and no number is skipped or given twice.
    """
    insert = sqlite_insert if db.session.get_bind().dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(Counter)
        .values(agency_id=agency_id, key=key, last_number=1)
        .on_conflict_do_update(index_elements=["agency_id", "key"], set_={"last_number": Counter.last_number + 1})
        .returning(Counter.last_number)
    )
    return db.session.execute(statement).scalar_one()
