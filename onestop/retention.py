"""Retention of personal data (Law 91/2025/QH15): closed dossiers lose their applicant's details, the messages
sent to them and their scanned papers after the years the settings give, and the privacy log its old rows;
codes, counts, dates and events stay."""
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa

from . import clock, settings
from .extensions import db
from .models import OPEN_STATUSES, Dossier, DossierFile, DossierStatus, FileKind, OutboxMessage, PersonalDataView
from .privacy import mask_name

BATCH = 1000
# What a purge empties. The name becomes its masked form (what the kiosk shows), so the register still reads
# "Nguyễn V. A."; the folded search name goes too, so the desk search no longer finds the person.
EMPTIED = ("applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "applicant_sex",
           "search_name", "returned_to", "note")


@dataclass(frozen=True)
class Purge:
    """What a purge changed (or, on a dry run, would change)."""

    dossiers: int
    files: int
    log_rows: int
    dossier_cutoff: date
    log_cutoff: date
    # The stored objects the deleted file rows used: pass them to files.store.discard_unreferenced after the commit.
    hashes: frozenset[str] = frozenset()


def purge(now: datetime, dry_run: bool = False) -> Purge:
    """Blank the personal fields of dossiers closed longer ago than the retention setting, and delete privacy-log
    rows older than theirs. Never commits (the CLI does, once)."""
    today = clock.local(now).date()
    dossier_cutoff = years_before(today, int(settings.get("personal_data_years")))
    log_cutoff = years_before(today, int(settings.get("privacy_log_years")))
    ids = list(db.session.scalars(_expired_dossiers(_start_of(dossier_cutoff)).order_by(Dossier.id)))
    old_log = PersonalDataView.at < _start_of(log_cutoff)
    log_rows = db.session.scalar(sa.select(sa.func.count(PersonalDataView.id)).where(old_log))
    files, hashes = 0, set()
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        papers = db.session.execute(sa.select(DossierFile.id, DossierFile.sha256).where(
            DossierFile.dossier_id.in_(batch), DossierFile.kind == FileKind.COMPONENT)).all()
        files, hashes = files + len(papers), hashes | {paper.sha256 for paper in papers}
        if not dry_run:
            _blank(batch, now)
            # The scanned papers (ID card, certificates…) go; the result the agency issued stays, as
            # files.store.delete_component_files does for one dossier.
            db.session.execute(sa.delete(DossierFile).where(DossierFile.id.in_([paper.id for paper in papers])))
    if not dry_run:
        db.session.execute(sa.delete(PersonalDataView).where(old_log))
    return Purge(len(ids), files, log_rows, dossier_cutoff, log_cutoff, frozenset() if dry_run else frozenset(hashes))


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _expired_dossiers(before: datetime):
    # Law 91/2025/QH15, Art. 14(1)(b)-(c): personal data is deleted once the purpose of processing is complete
    # and the retention period has run out. The purpose ends when the dossier is closed: returned to the
    # citizen (counted from the return), or refused, withdrawn or stopped (counted from completion).
    # A result waiting for collection is not closed.
    closed = Dossier.status.not_in([*OPEN_STATUSES, DossierStatus.RESULT_READY])
    ended = sa.func.coalesce(Dossier.returned_at, Dossier.completed_at)
    return sa.select(Dossier.id).where(closed, ended < before, Dossier.personal_data_purged_at.is_(None))


def _blank(ids: list[int], now: datetime) -> None:
    rows = db.session.execute(sa.select(Dossier.id, Dossier.applicant_name, Dossier.applicant_is_organisation)
                              .where(Dossier.id.in_(ids))).all()
    values = [{"row_id": row.id, "masked": mask_name(row.applicant_name, row.applicant_is_organisation)}
              for row in rows]
    # Core, not the ORM: the model's validator would fold the masked name back into search_name.
    statement = (sa.update(Dossier.__table__).where(Dossier.__table__.c.id == sa.bindparam("row_id"))
                 .values(applicant_name=sa.bindparam("masked"), applicant_date_of_birth=None, personal_data_purged_at=now,
                         **dict.fromkeys(EMPTIED, "")))
    db.session.execute(statement, values)
    # The messages sent about the dossier carry the citizen's phone or e-mail and name: they go too.
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.dossier_id.in_(ids)))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=clock.VN)
