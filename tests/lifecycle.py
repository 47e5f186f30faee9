"""Dossiers brought to any workflow state through the real steps, for the workflow tests."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from onestop import calendars, dossiers, seed, supplements, transfers, workflow
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Agency, Dossier, Procedure, User

MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=VN)  # 1.004837 (3 working days) received now is due Thu 05/03 08:00
BEFORE_DUE = datetime(2026, 3, 3, 10, 0, tzinfo=VN)
LAND_OFFICE = "000.00.31.H57"  # on the install, user `partner`
POLICE = "000.14.31.H57"  # external: the desk records its legs
STEP = timedelta(minutes=20)


def people() -> dict[str, User]:
    """The demo users plus a second officer of the commune, by username."""
    home = seed.home_agency()
    seed.ensure_user("officer2", "Đặng Thị Mai", ["officer"], home, "demo")
    return {user.username: user for user in db.session.scalars(sa.select(User))}


def receive(procedure_code: str = "1.004837", at: datetime = MONDAY, name: str = "Phạm Văn Dũng") -> Dossier:
    """A dossier received by the demo clerk (not committed)."""
    procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == procedure_code))
    clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
    return dossiers.receive(procedure, dossiers.Applicant(name=name, phone="0912345678"), dossiers.Intake(),
                            agency=clerk.agency, clerk=clerk, now=at, calendar=calendars.current())


def build(state: str, procedure_code: str = "1.004837") -> Dossier:
    """A dossier in one of the states of the transition table, reached step by step from MONDAY 08:00."""
    users, calendar = people(), calendars.current()
    clerk, officer, leader = users["clerk"], users["officer"], users["leader"]
    dossier = receive(procedure_code)
    moments = (MONDAY + STEP * n for n in range(1, 50))
    if state == "received":
        return _flushed(dossier)
    workflow.hand_over(dossier, clerk, to_user=officer, now=next(moments))
    if state in ("awaiting_supplement", "supplemented"):
        supplements.request_supplement(dossier, officer, reason="Thiếu giấy tờ", items=["Văn bản cử người giám hộ"],
                                       now=next(moments), calendar=calendar)
        if state == "supplemented":
            supplements.resume(dossier, clerk, now=next(moments), calendar=calendar)
    elif state in ("at_partner", "at_external"):
        code = LAND_OFFICE if state == "at_partner" else POLICE
        transfers.send_to_partner(dossier, officer, agency_code=code, share=1, now=next(moments), calendar=calendar)
    elif state == "awaiting_approval":
        workflow.submit_for_approval(dossier, officer, now=next(moments))
    elif state == "approved":
        workflow.submit_for_approval(dossier, officer, now=next(moments))
        workflow.approve(dossier, leader, now=next(moments))
    elif state == "apologized":
        supplements.apologize(dossier, leader, reason="Chờ xác minh", now=next(moments), calendar=calendar,
                              new_promised_at=dossier.promised_at + timedelta(days=4))  # a working Monday
    elif state in ("result_ready", "returned"):
        workflow.submit_for_approval(dossier, officer, now=next(moments))
        workflow.approve(dossier, leader, now=next(moments))
        workflow.mark_ready(dossier, officer, now=next(moments))
        if state == "returned":
            workflow.return_result(dossier, clerk, recipient="Phạm Văn Dũng", now=next(moments))
    elif state == "refused":
        workflow.refuse(dossier, leader, reason="Không đủ điều kiện", now=next(moments), calendar=calendar)
    elif state == "withdrawn":
        workflow.withdraw(dossier, clerk, reason="Công dân xin rút", now=next(moments), calendar=calendar)
    elif state == "stopped":
        workflow.stop(dossier, leader, reason="Có yêu cầu dừng của cơ quan có thẩm quyền", now=next(moments),
                      calendar=calendar)
    return _flushed(dossier)


def _flushed(dossier: Dossier) -> Dossier:
    db.session.flush()
    return dossier


def agency(code: str) -> Agency:
    return db.session.scalar(sa.select(Agency).where(Agency.code == code))

