"""The procedure guide of the kiosk: fields, procedures in force, and how each is submitted."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from onestop import catalogue, collation, settings
from onestop.extensions import db
from onestop.models import Field, Procedure

# Legacy levels 1-4 (Decree 43/2011) and the levels of Decree 42/2022, as a citizen would say them.
LEVELS = {
    "": _l("Nộp trực tiếp hoặc qua bưu chính tại Bộ phận Một cửa."),
    "1": _l("Nộp trực tiếp hoặc qua bưu chính tại Bộ phận Một cửa."),
    "2": _l("Nộp trực tiếp tại Bộ phận Một cửa; có thể tải mẫu đơn trên Cổng Dịch vụ công."),
    "3": _l("Có thể nộp hồ sơ trực tuyến; nhận kết quả tại Bộ phận Một cửa."),
    "một phần": _l("Có thể nộp hồ sơ trực tuyến; nhận kết quả tại Bộ phận Một cửa."),
    "4": _l("Có thể nộp hồ sơ và nhận kết quả hoàn toàn trực tuyến."),
    "toàn trình": _l("Có thể nộp hồ sơ và nhận kết quả hoàn toàn trực tuyến."),
}


def _in_force(today: date):
    return sa.and_(sa.or_(Procedure.active_from.is_(None), Procedure.active_from <= today),
                   sa.or_(Procedure.active_to.is_(None), Procedure.active_to >= today))


def fields(today: date) -> list[tuple[Field, int]]:
    """Every field with the number of procedures in force, by name."""
    query = (sa.select(Field, sa.func.count(Procedure.id)).join(Procedure, Procedure.field_id == Field.id)
             .where(_in_force(today)).group_by(Field.id))
    return collation.sorted_vi([(field, count) for field, count in db.session.execute(query)],
                               key=lambda row: row[0].name)


def in_field(field_id: int, today: date) -> list[Procedure]:
    """The procedures of one field, by name."""
    query = sa.select(Procedure).where(Procedure.field_id == field_id, _in_force(today))
    return collation.sorted_vi(db.session.scalars(query), key=lambda procedure: procedure.name)


def search(text: str, today: date) -> list[Procedure]:
    """Procedures matching the words typed, accents optional, in force today."""
    return [procedure for procedure in catalogue.search(text, limit=40) if _active(procedure, today)][:20]


def find(code: str, today: date) -> Procedure | None:
    """The procedure with this code, if in force."""
    procedure = catalogue.find(code)
    return procedure if procedure is not None and _active(procedure, today) else None


def online_level(level: str) -> str:
    """How the procedure can be submitted, in plain words."""
    return str(LEVELS.get((level or "").strip().lower(), LEVELS[""]))


def public_url(path: str) -> str:
    """The address a phone can open (the installation's public base URL + the page's path)."""
    return settings.get("public_base_url").rstrip("/") + path


def _active(procedure: Procedure, today: date) -> bool:
    return ((procedure.active_from is None or procedure.active_from <= today)
            and (procedure.active_to is None or procedure.active_to >= today))
