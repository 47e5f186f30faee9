"""A province's year of dossiers (115 agencies), generated day by day and written in bulk.

The province is shaped as after the 2025 reform (issue 14): no district level since 01/07/2025, so
about 100 communes and wards sit directly under the province, beside its departments.

The mix follows issue 8: channels about 70 % direct, 25 % online, 5 % postal; about 8 % sent to a
partner agency; about 3 % late; a survey on about a quarter of the results; an event for every
step, as the workflow would have written them. The generator is seeded, so two runs are alike.
"""
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from .. import calendars, codes, deadlines, passwords, seed
from ..clock import VN
from ..extensions import db
from ..models import Agency, AgencyLevel, Procedure, User
from ..text import fold
from .bulk import Writer, json_text, sqlite_instant

# 1 province + 100 communes and wards + 12 departments + the demo's 2 partner agencies = 115; no districts.
COMMUNES, DEPARTMENTS = 100, 12
PROVINCE_CODE = "000.00.00.H57"
BATCH = 20_000  # dossiers per transaction of the bulk writer
BENCH_PASSWORD = "bench-Mat-khau-2026"  # the seeded staff's password: a benchmark database only
# Hộ tịch and chứng thực are most of a commune's work; land and social files are fewer and longer.
FIELD_WEIGHTS = {"Chứng thực": 40, "Hộ tịch": 30, "Đất đai": 6, "Bảo trợ xã hội": 6}
MINUTES = [*range(7 * 60 + 30, 11 * 60 + 30), *range(13 * 60 + 30, 16 * 60 + 45)]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hạnh", "Hoa", "Hùng", "Khánh", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến"]

DOSSIER_COLUMNS = (
    "id", "code", "procedure_id", "agency_id", "holder_agency_id", "holder_user_id", "received_by_id",
    "applicant_name", "applicant_is_organisation", "applicant_id_number", "applicant_phone",
    "applicant_email", "applicant_address", "search_name", "channel", "quantity", "documents", "note",
    "result_delivery", "deadline_value", "deadline_unit", "received_at", "due_at", "promised_at",
    "completed_at", "returned_at", "returned_to", "received_on", "due_on", "completed_on", "status",
    "timeliness", "book_number", "ledger_number")
EVENT_COLUMNS = ("id", "dossier_id", "at", "action", "actor_id", "from_user_id", "to_user_id",
                 "from_agency_id", "to_agency_id", "from_status", "to_status", "step_due_at",
                 "timeliness", "note", "public_note", "data")
LEG_COLUMNS = ("id", "dossier_id", "partner_id", "sent_by_id", "sent_at", "due_at", "returned_at",
               "share_value", "share_unit", "note")
PAUSE_COLUMNS = ("id", "dossier_id", "started_at", "ended_at", "reason", "items")
SURVEY_COLUMNS = ("id", "dossier_id", "overall", "answers", "comment", "channel", "created_at")


@dataclass
class Office:
    """A receiving agency and its three staff, as ids."""

    id: int
    code: str
    name: str
    clerk: int
    officer: int
    leader: int
    partner: int  # the agency its inter-agency legs go to (a department, or the province)


@dataclass
class Tables:
    """Rows waiting to be written."""

    dossier: list = field(default_factory=list)
    event: list = field(default_factory=list)
    leg: list = field(default_factory=list)
    pause: list = field(default_factory=list)
    survey: list = field(default_factory=list)


def end_of_year(year: int) -> datetime:
    """The benchmark's "now": the last afternoon of the year, so the year is complete but still fresh."""
    return datetime(year, 12, 31, 16, 30, tzinfo=VN)


def setup_agencies() -> tuple[Agency, list[Office]]:
    """The province, its communes, wards and departments, a clerk, officer and leader each."""
    for code, name, level, external in seed.DEMO_PARTNERS:  # the catalogue's routes name them
        seed.ensure_agency(code, name, level, external)
    seed.load_catalogue()
    province = seed.setup(PROVINCE_CODE, seed.DEMO_PROVINCE[1], "Huế")
    province.level = AgencyLevel.PROVINCE
    hashed = passwords.hash_password(BENCH_PASSWORD)  # one hash for all: it is the slow part
    departments = [Agency(code=f"000.{s:02d}.00.H57", name=f"Sở số {s}", level=AgencyLevel.DEPARTMENT,
                          parent=province) for s in range(1, DEPARTMENTS + 1)]
    agencies = []
    for c in range(1, COMMUNES + 1):
        kind = "phường" if c % 4 == 0 else "xã"  # about a quarter are wards
        # Codes are opaque (domain.md §2); these never meet the departments' `000.SS.00.H57`.
        commune = Agency(code=f"000.{10 + (c - 1) // 90:02d}.{(c - 1) % 90 + 10:02d}.H57", name=f"UBND {kind} số {c}",
                         level=AgencyLevel.COMMUNE, parent=province, receiving_unit=seed.DEMO_CENTRE)
        agencies.append((commune, departments[c % DEPARTMENTS]))  # legs go to a department's branch
    agencies += [(department, province) for department in departments]
    db.session.add_all(agency for agency, _ in agencies)
    db.session.flush()
    offices = []
    for index, (agency, partner) in enumerate(agencies, start=1):
        staff = [User(username=f"{role}{index:03d}", full_name=f"{role.title()} {agency.name}", roles=[role],
                      agency=agency, password_hash=hashed) for role in ("clerk", "officer", "leader")]
        db.session.add_all(staff)
        db.session.flush()
        offices.append(Office(agency.id, agency.code, agency.name, *(user.id for user in staff), partner.id))
    leader = User(username="province", full_name="Lãnh đạo tỉnh", roles=["leader"], agency=province,
                  password_hash=hashed)
    db.session.add(leader)
    db.session.commit()
    return province, offices


class Province:
    """Generates and writes the year day by day; `grow(n)` stops after about n more dossiers."""

    def __init__(self, offices: list[Office], year: int, total: int, *, postgresql: bool, seed_number: int = 2025):
        self.rng = random.Random(seed_number)
        # Values as the database stores them: the writer adapts nothing (bulk.py).
        self.instant = (lambda moment: moment) if postgresql else sqlite_instant
        self.day = (lambda day: day) if postgresql else date.isoformat
        self.offices = offices
        self.calendar = calendars.current()
        self.now = end_of_year(year)
        self.days = [day for day in _days(year) if self.calendar.is_working_day(day)]
        self.per_day = total / len(self.days)
        procedures = list(db.session.scalars(sa.select(Procedure).order_by(Procedure.code)))
        self.procedures = [(p.id, p.deadline, float(p.deadline_value), p.deadline_unit, p.approval_required)
                           for p in procedures]
        self.procedure_weights = [FIELD_WEIGHTS.get(p.field.name, 2) / 2 for p in procedures]
        # Communes and wards receive most; departments fewer each.
        self.office_weights = [3 if office.name.startswith(("UBND xã", "UBND phường")) else 1
                               for office in self.offices]
        self.ids = {name: 1 + (db.session.scalar(sa.select(sa.func.max(sa.text("id"))).select_from(sa.table(name)))
                               or 0) for name in ("dossier", "event", "leg", "pause", "survey")}
        self.day_index, self.carry = 0, 0.0
        self.counters: dict[tuple[int, str], int] = {}
        self.written = 0
        db.session.close()  # the bulk writer's own connection needs SQLite's write lock

    @property
    def done(self) -> bool:
        return self.day_index >= len(self.days)

    def grow(self, writer: Writer, count: int, progress=None) -> int:
        """Write whole days until at least `count` more dossiers (or the year) are written."""
        target, reported = self.written + count, self.written
        while not self.done and self.written < target:
            tables = Tables()
            # Batches of about 20k dossiers (a week at full scale), never past the target's day.
            while not self.done and len(tables.dossier) < BATCH and self.written + len(tables.dossier) < target:
                self.carry += self.per_day
                today, number = self.days[self.day_index], int(self.carry)
                self.carry -= number
                self.day_index += 1
                for _ in range(number):
                    self._dossier(today, tables)
            for name, columns in (("dossier", DOSSIER_COLUMNS), ("event", EVENT_COLUMNS), ("leg", LEG_COLUMNS),
                                  ("pause", PAUSE_COLUMNS), ("survey", SURVEY_COLUMNS)):
                writer.write(name, columns, getattr(tables, name))
            writer.commit()
            self.written += len(tables.dossier)
            if progress and self.written - reported >= 100_000:
                progress(self.written)
                reported = self.written
        return self.written

    def write_counters(self, writer: Writer) -> None:
        """The number series the seeded codes used, so intake after the seed goes on from them."""
        rows = [(agency_id, key, last) for (agency_id, key), last in self.counters.items()]
        writer.write("counter", ("agency_id", "key", "last_number"), rows)
        writer.commit()
        writer.reset_sequences(("dossier", "event", "leg", "pause", "survey"))

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table] - 1

    def _count(self, office: Office, key: str) -> int:
        number = self.counters.get((office.id, key), 0) + 1
        self.counters[(office.id, key)] = number
        return number

    def _dossier(self, day: date, tables: Tables) -> None:
        rng, now = self.rng, self.now
        office = rng.choices(self.offices, self.office_weights)[0]
        procedure_id, deadline, value, unit, approval = rng.choices(self.procedures, self.procedure_weights)[0]
        minute = rng.choice(MINUTES)
        # Instants in UTC from the start: the database stores them so, and UTC arithmetic is cheap.
        received = datetime.combine(day, time(minute // 60, minute % 60), VN).astimezone(UTC)
        due = deadlines.due_at(received, deadline, self.calendar).astimezone(UTC)
        at = self.instant
        span = max(due - received, timedelta(hours=1))
        roll = rng.random()
        channel = "DIRECT" if roll < 0.70 else "ONLINE" if roll < 0.95 else "POSTAL"
        late = rng.random() < 0.03
        completed = due + timedelta(days=rng.randint(1, 6)) if late else received + span * rng.uniform(0.25, 0.98)
        ending = rng.random()
        outcome = "REFUSED" if ending < 0.02 else "WITHDRAWN" if ending < 0.025 else "RESULT"
        dossier_id = self._next("dossier")
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        events = Steps(self, dossier_id, office, due)
        events.add(received, "receive", office.clerk, to_user=office.clerk, to_status="received",
                   public="Đã tiếp nhận hồ sơ")
        status, holder, finished = "PROCESSING", office.officer, completed <= now
        events.add(received + span * 0.05, "hand_over", office.clerk, from_user=office.clerk,
                   to_user=office.officer, from_status="received", to_status="processing", public="Đang xử lý")
        if rng.random() < 0.04:  # a supplement asked for and brought two days later
            started = received + span * 0.1
            ended = started + timedelta(days=2)
            tables.pause.append((self._next("pause"), dossier_id, at(started), at(ended) if ended <= now else None,
                                 "Thiếu giấy tờ theo quy định", json_text(["Bản sao giấy tờ tùy thân"])))
            events.add(started, "request_supplement", office.officer, from_status="processing",
                       to_status="awaiting_supplement", public="Tạm dừng, chờ công dân bổ sung hồ sơ")
            if ended > now:
                status, finished = "AWAITING_SUPPLEMENT", False
            else:
                events.add(ended, "resume", office.clerk, from_status="awaiting_supplement",
                           to_status="processing", public="Công dân đã bổ sung hồ sơ")
        if status == "PROCESSING" and rng.random() < 0.08:  # inter-agency leg, half the time its share
            sent = received + span * 0.2
            leg_due = sent + span * 0.5
            back = sent + span * rng.uniform(0.1, 0.45 if not late else 0.7)
            returned = back if back <= now else None
            tables.leg.append((self._next("leg"), dossier_id, office.partner, office.officer, at(sent), at(leg_due),
                               at(returned) if returned else None,
                               round(value / 2, 2), unit if unit != "same_day" else "working_hours", ""))
            events.add(sent, "send_to_partner", office.officer, from_status="processing", to_status="at_partner",
                       to_agency=office.partner, public="Đang chuyển cơ quan phối hợp giải quyết",
                       data={"leg_due_at": leg_due.isoformat(), "share": str(round(value / 2, 2)), "unit": unit})
            if returned is None:
                status, holder, finished = "AT_PARTNER", None, False
            else:
                events.add(returned, "partner_returned", None, from_status="at_partner", to_status="processing",
                           from_agency=office.partner, to_user=office.officer, public="Cơ quan phối hợp đã trả")
        if finished and outcome == "RESULT" and approval:
            submitted = completed - (completed - received) * 0.1
            events.add(submitted, "submit_for_approval", office.officer, from_user=office.officer,
                       to_user=office.leader, from_status="processing", to_status="awaiting_approval",
                       public="Đang trình lãnh đạo phê duyệt")
            events.add(completed - (completed - received) * 0.05, "approve", office.leader, from_user=office.leader,
                       to_user=office.officer, from_status="awaiting_approval", to_status="processing",
                       public="Lãnh đạo đã phê duyệt")
        timeliness = returned_at = None
        if finished:
            timeliness = _timeliness(completed, due)
            action, status = {"REFUSED": ("refuse", "REFUSED"), "WITHDRAWN": ("withdraw", "WITHDRAWN"),
                              "RESULT": ("mark_ready", "RESULT_READY")}[outcome]
            events.add(completed, action, office.officer, from_status="processing", to_status=status.lower(),
                       public="Đã có kết quả, mời công dân đến nhận" if outcome == "RESULT" else "Đã kết thúc")
            holder = office.clerk
            pickup = completed + timedelta(days=rng.uniform(0, 4))
            if outcome == "RESULT" and pickup <= now:
                returned_at, status = pickup, "RETURNED"
                events.add(pickup, "return_result", office.clerk, from_status="result_ready", to_status="returned",
                           public="Đã trả kết quả")
                if rng.random() < 0.25:
                    self._survey(dossier_id, pickup, tables)
        tables.event.extend(events.rows)
        local_day = day
        tables.dossier.append((
            dossier_id,
            codes.format_dossier_code(office.code, local_day, self._count(office, f"code:{local_day}")),
            procedure_id, office.id, office.id if status != "AT_PARTNER" else office.partner, holder, office.clerk,
            name, False, f"{rng.randrange(10**11, 10**12):012d}", f"09{rng.randrange(10**8):08d}", "",
            f"Thôn {rng.randint(1, 12)}, {office.name}", fold(name), channel, 1, "[]", "", "desk",
            value, unit, at(received), at(due), at(due), at(completed) if finished else None,
            at(returned_at) if returned_at else None, name if returned_at else "", self.day(local_day),
            self.day(_local_date(due)), self.day(_local_date(completed)) if finished else None,
            status, timeliness, str(day.year), self._count(office, f"ledger:{day.year}")))

    def _survey(self, dossier_id: int, at: datetime, tables: Tables) -> None:
        roll = self.rng.random()
        overall = "VERY_SATISFIED" if roll < 0.8 else "SATISFIED" if roll < 0.97 else "UNSATISFIED"
        channel = self.rng.choices(("KIOSK", "WEB", "DESK"), (70, 20, 10))[0]
        answers = {"publicity": 2, "attitude": 2 if overall != "UNSATISFIED" else 0, "feedback": 2}
        tables.survey.append((self._next("survey"), dossier_id, overall, json_text(answers), "", channel, self.instant(at)))


class Steps:
    """A dossier's events as rows, timed against its deadline like the workflow times them."""

    def __init__(self, province: Province, dossier_id: int, office: Office, due: datetime):
        self.province, self.dossier_id, self.office, self.due = province, dossier_id, office, due
        self.rows: list[tuple] = []

    def add(self, at, action, actor, *, from_user=None, to_user=None, to_agency=None, from_agency=None,
            from_status="", to_status="", public="", data=None) -> None:
        step_due = None if action == "return_result" else self.due
        judged = _timeliness(at, self.due) if from_status and step_due else None
        instant = self.province.instant
        self.rows.append((self.province._next("event"), self.dossier_id, instant(at), action, actor, from_user, to_user,
                          from_agency or self.office.id, to_agency or self.office.id, from_status, to_status,
                          instant(step_due) if step_due else None, judged, "", public, json_text(data) if data else "{}"))


def _timeliness(done: datetime, due: datetime) -> str:
    done_day, due_day = _local_date(done), _local_date(due)
    return "EARLY" if done_day < due_day else "ON_TIME" if done_day == due_day else "LATE"


def _local_date(moment: datetime) -> date:
    return moment.astimezone(VN).date()


def _days(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)

