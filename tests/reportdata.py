"""A hand-built set of dossiers whose statistics form is known, shared by the report tests."""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Agency, AgencyLevel, Channel, Dossier, DossierStatus, Field, Pause, Procedure, Timeliness

HOME_CODE, CHILD_CODE = "000.13.00.H57", "000.15.31.H57"


@dataclass(frozen=True)
class Built:
    home: Agency
    child: Agency


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN)


def _dossier(number, agency, procedure, channel, received, due, completed=None, status=None):
    dossier = Dossier(code=f"{agency.code}-T-{number:04d}", procedure=procedure, agency=agency, holder_agency=agency,
                      applicant_name=f"Người thử {number}", channel=channel, deadline_unit="working_days",
                      deadline_value=3, received_at=_at(received, 9), due_at=_at(due, 17), promised_at=_at(due, 17),
                      completed_at=_at(completed, 10) if completed else None,
                      status=status or (DossierStatus.RETURNED if completed else DossierStatus.PROCESSING))
    if completed:
        dossier.timeliness = (Timeliness.EARLY if completed < due else
                              Timeliness.ON_TIME if completed == due else Timeliness.LATE)
    db.session.add(dossier)
    return dossier


def _field(name: str) -> Field:
    return db.session.scalar(sa.select(Field).where(Field.name == name)) or Field(name=name)


def build(home: Agency | None = None) -> Built:
    """Two fields at a parent agency (made, or the demo home) and one dossier at its child (see the tests)."""
    home = home or Agency(code=HOME_CODE, name="UBND huyện Thử", level=AgencyLevel.DISTRICT, is_home=True)
    child = Agency(code=CHILD_CODE, name="UBND xã Con", parent=home)
    civil, certify = _field("Hộ tịch"), _field("Chứng thực")
    birth = Procedure(code="T.000001", name="Đăng ký khai sinh (thử)", field=civil, deadline_unit="same_day")
    copy = Procedure(code="T.000002", name="Chứng thực bản sao (thử)", field=certify, deadline_unit="same_day")
    db.session.add_all([home, child, civil, certify, birth, copy])
    on, direct, postal = Channel.ONLINE, Channel.DIRECT, Channel.POSTAL
    d = date
    # Hộ tịch at home, period 15/02/2026 – 14/03/2026, today 05/03/2026.
    _dossier(1, home, birth, on, d(2026, 2, 20), d(2026, 2, 26), d(2026, 2, 25))      # online, early
    _dossier(2, home, birth, direct, d(2026, 2, 16), d(2026, 2, 20), d(2026, 2, 20))  # direct, on time
    _dossier(3, home, birth, postal, d(2026, 2, 17), d(2026, 2, 27), d(2026, 3, 3),   # postal, late (refused)
             status=DossierStatus.REFUSED)
    _dossier(4, home, birth, direct, d(2026, 2, 10), d(2026, 2, 12), d(2026, 2, 18))  # carried over, late
    _dossier(5, home, birth, direct, d(2026, 2, 5), d(2026, 2, 10))                   # carried over, overdue
    _dossier(6, home, birth, direct, d(2026, 3, 2), d(2026, 3, 6))                    # direct, within deadline
    _dossier(7, home, birth, direct, d(2026, 2, 1), d(2026, 2, 5), d(2026, 2, 10))    # done before: not counted
    _dossier(8, home, birth, on, d(2026, 3, 16), d(2026, 3, 18))                      # after the period
    # Chứng thực at home.
    paused = _dossier(9, home, copy, on, d(2026, 3, 3), d(2026, 3, 4),                # paused: within deadline
                      status=DossierStatus.AWAITING_SUPPLEMENT)
    db.session.add(Pause(dossier=paused, started_at=_at(d(2026, 3, 3), 14), reason="thiếu giấy"))
    _dossier(10, home, copy, direct, d(2026, 3, 4), d(2026, 3, 4), d(2026, 3, 4))     # on time
    _dossier(11, home, copy, direct, d(2026, 3, 1), d(2026, 3, 3))                    # overdue
    resumed = _dossier(12, home, copy, direct, d(2026, 2, 25), d(2026, 3, 2))          # pause over: overdue
    db.session.add(Pause(dossier=resumed, started_at=_at(d(2026, 2, 26), 9), ended_at=_at(d(2026, 2, 27), 9)))
    # Hộ tịch at the child commune.
    _dossier(13, child, birth, on, d(2026, 3, 1), d(2026, 3, 2), d(2026, 3, 2))       # online, on time
    db.session.flush()
    return Built(home, child)
