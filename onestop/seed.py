"""Seed data shared by the CLI and the tests: the demo commune, its partners, users and dossiers."""
import random
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from . import calendars, catalogue, dossiers, passwords, settings, supplements, transfers, workflow
from .clock import VN, local
from .extensions import db
from .models import Agency, AgencyLevel, Dossier, DossierStatus, Procedure, User

DATA = Path(__file__).parent / "data"
# A commune after the 2025 reform (domain.md §0): no district level since 01/07/2025, so the commune's
# parent is the province, and it receives dossiers at its Trung tâm Phục vụ hành chính công
# (Decree 118/2025/NĐ-CP). Partners that exist today: a branch of the provincial land registration
# office and the commune police; social assistance is decided at the commune, with no district leg.
DEMO_HOME = ("000.13.31.H57", "UBND xã Quảng Thọ", "Quảng Thọ")
DEMO_CENTRE = "Trung tâm Phục vụ hành chính công"
DEMO_PROVINCE = ("000.00.00.H57", "UBND thành phố Huế")
DEMO_PARTNERS = [  # code, name, level, external
    ("000.00.31.H57", "Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ", AgencyLevel.DEPARTMENT, False),
    ("000.14.31.H57", "Công an xã Quảng Thọ", AgencyLevel.COMMUNE, True),
]
DEMO_USERS = [  # username, full name, roles, at the land office?
    ("clerk", "Lê Thị Thu", ["clerk"], False),
    ("officer", "Trần Văn Hùng", ["officer"], False),
    ("leader", "Nguyễn Văn Minh", ["leader"], False),
    ("admin", "Phan Quốc Bảo", ["admin"], False),
    ("partner", "Hoàng Thị Lan", ["officer"], True),
]
DEMO_PASSWORD = "demo"


def home_agency() -> Agency | None:
    """The installation's own agency, made by `setup` or `seed demo`."""
    return db.session.scalar(sa.select(Agency).where(Agency.is_home.is_(True)).order_by(Agency.id))


def setup(code: str, name: str, place: str) -> Agency:
    """A fresh install: the home agency and the place name printed on every form."""
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == code))
    if agency is None:
        agency = Agency(code=code, name=name, level=AgencyLevel.COMMUNE)
        db.session.add(agency)
    agency.name, agency.is_home = name, True
    settings.put("place_name", place)
    db.session.flush()
    return agency


def ensure_agency(code, name, level, external=False) -> Agency:
    """The agency with this code, made if missing."""
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == code))
    if agency is None:
        agency = Agency(code=code, name=name, level=level, external=external)
        db.session.add(agency)
        db.session.flush()
    return agency


def load_demo_agencies() -> tuple[Agency, list[Agency]]:
    """The home commune (or the one `setup` made) under its province, with its centre, and its partners."""
    home = home_agency() or setup(*DEMO_HOME)
    # External: the province's own staff do not use the commune's installation (DESIGN.md §2).
    province = ensure_agency(*DEMO_PROVINCE, AgencyLevel.PROVINCE, external=True)
    if home.parent is None and home.id != province.id:
        home.parent = province
    if home.level == AgencyLevel.COMMUNE and not home.receiving_unit:
        home.receiving_unit = DEMO_CENTRE
    partners = [ensure_agency(code, name, level, external) for code, name, level, external in DEMO_PARTNERS]
    land_office = partners[0]
    if land_office.parent is None:
        land_office.parent = province  # a branch of the province's land registration office
    return home, partners


def load_catalogue() -> catalogue.ImportResult:
    """The procedures a commune handles (domain.md §6), from data/procedures.csv."""
    path = DATA / "procedures.csv"
    return catalogue.import_file(path.read_bytes(), path.name)


def ensure_user(username, full_name, roles, agency, password) -> User:
    """The user with this name, made if missing (an existing one keeps its password)."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(username=username, full_name=full_name, agency=agency)
        user.roles = roles
        user.password_hash = passwords.hash_password(password)
        db.session.add(user)
        db.session.flush()
    return user


def load_demo_users(home: Agency, land_office: Agency) -> list[User]:
    """The demo accounts, all with the password `demo`."""
    return [ensure_user(name, full_name, roles, land_office if at_land else home, DEMO_PASSWORD)
            for name, full_name, roles, at_land in DEMO_USERS]


def add_sample_dossiers(home: Agency, users: dict, now: datetime, count: int = 50) -> int:
    """About `count` dossiers received over the last weeks, in every state; none if there are some."""
    if db.session.scalar(sa.select(sa.func.count(Dossier.id)).where(Dossier.agency_id == home.id)):
        return 0
    rng = random.Random(2026)
    calendar = calendars.current()
    procedures = list(db.session.scalars(sa.select(Procedure).order_by(Procedure.code)))
    plan = _sample_plan(count)
    for index, status in enumerate(plan):
        received = _sample_time(now, len(plan) - index, calendar, rng)
        choices = [p for p in procedures if p.approval_required] if status == DossierStatus.AWAITING_APPROVAL \
            else procedures
        dossier = dossiers.receive(rng.choice(choices), _sample_applicant(rng), dossiers.Intake(),
                                   agency=home, clerk=users["clerk"], now=received, calendar=calendar)
        _advance(dossier, status, users, received, now, calendar)
    return len(plan)


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hoa", "Khánh", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm"]
PLAN = [(DossierStatus.RECEIVED, 8), (DossierStatus.PROCESSING, 9), (DossierStatus.AWAITING_SUPPLEMENT, 4),
        (DossierStatus.AT_PARTNER, 4), (DossierStatus.AWAITING_APPROVAL, 4), (DossierStatus.RESULT_READY, 8),
        (DossierStatus.RETURNED, 8), (DossierStatus.REFUSED, 2), (DossierStatus.WITHDRAWN, 2),
        (DossierStatus.STOPPED, 1)]


def _sample_plan(count: int) -> list[DossierStatus]:
    plan = [status for status, share in PLAN for _ in range(share)]
    return (plan * (count // len(plan) + 1))[:count]


def _sample_time(now: datetime, age: int, calendar, rng) -> datetime:
    # Spread the intake over the working days before now, within office hours.
    day = local(now).date() - timedelta(days=age // 2 + 1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, datetime.min.time(), VN).replace(hour=rng.choice([7, 8, 9, 10, 14, 15, 16]),
                                                                   minute=rng.randrange(0, 60, 5))


def _sample_applicant(rng) -> dossiers.Applicant:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return dossiers.Applicant(name=name, id_number=f"0460{rng.randrange(10**8):08d}",
                              phone=f"09{rng.randrange(10**8):08d}", address="Thôn Phước Yên, xã Quảng Thọ")


def _advance(dossier: Dossier, status: DossierStatus, users: dict, received: datetime, now: datetime,
             calendar) -> None:
    """Move a sample dossier to `status` through the real workflow steps, so demo data obeys the rules."""
    if status == DossierStatus.RECEIVED:
        return
    step = received + timedelta(minutes=30)
    officer = users["officer"]
    workflow.hand_over(dossier, users["clerk"], to_user=officer, now=step)
    if status == DossierStatus.AWAITING_SUPPLEMENT:
        supplements.request_supplement(dossier, officer, reason="Thiếu giấy tờ theo quy định",
                                       items=["Bản sao giấy tờ tùy thân"], now=step + timedelta(hours=1))
    elif status == DossierStatus.AT_PARTNER:
        partner = db.session.scalar(sa.select(Agency).where(Agency.code == DEMO_PARTNERS[0][0]))
        share = None if transfers.route_share(dossier, partner) else 3
        transfers.send_to_partner(dossier, officer, agency_code=partner.code, share=share, confirm_late=True,
                                  now=step + timedelta(hours=1), calendar=calendar)
    elif status == DossierStatus.AWAITING_APPROVAL:
        workflow.submit_for_approval(dossier, officer, now=step + timedelta(hours=1))
    elif status != DossierStatus.PROCESSING:
        _complete(dossier, status, users, max(min(dossier.due_at, now) - timedelta(hours=1), step + timedelta(hours=2)),
                  now, calendar)


def _complete(dossier, status, users, done: datetime, now: datetime, calendar) -> None:
    officer, leader, clerk = users["officer"], users["leader"], users["clerk"]
    if status == DossierStatus.REFUSED:
        workflow.refuse(dossier, leader, reason="Hồ sơ không đủ điều kiện giải quyết (dữ liệu mẫu)", now=done,
                        calendar=calendar)
        return
    if status == DossierStatus.WITHDRAWN:
        workflow.withdraw(dossier, clerk, reason="Công dân xin rút hồ sơ (dữ liệu mẫu)", now=done, calendar=calendar)
        return
    if status == DossierStatus.STOPPED:
        workflow.stop(dossier, leader, reason="Có văn bản của cơ quan có thẩm quyền yêu cầu dừng giải quyết (dữ liệu mẫu)",
                      now=done, calendar=calendar)
        return
    if dossier.procedure.approval_required:
        workflow.submit_for_approval(dossier, officer, now=done - timedelta(minutes=40))
        workflow.approve(dossier, leader, now=done - timedelta(minutes=20))
    workflow.mark_ready(dossier, officer, now=done)
    if status == DossierStatus.RETURNED:
        workflow.return_result(dossier, clerk, recipient=dossier.applicant_name,
                               now=min(done + timedelta(hours=2), now))


def load_demo(now: datetime, count: int = 50) -> dict:
    """Everything `flask seed demo` loads; safe to run twice."""
    home, partners = load_demo_agencies()
    load_catalogue()
    users = {user.username: user for user in load_demo_users(home, partners[0])}
    added = add_sample_dossiers(home, users, now, count)
    load_demo_queue(home)
    return {"home": home, "users": users, "dossiers": added}


def load_demo_queue(home: Agency) -> None:
    """Queue lines A and B and counters 1 and 2 of the demo commune (issue 20)."""
    from .queue import tickets

    tickets.seed_demo(home)
