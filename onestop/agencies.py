"""The agencies of the installation as administrators keep them: the own agency, those under it and partners."""
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from . import statistics
from .codes import is_agency_code
from .errors import WorkflowError
from .extensions import db
from .models import Agency, AgencyLevel, Dossier, User


def every() -> list[Agency]:
    """Every agency by code: codes and names are public (the API lists them for any staff member)."""
    return list(db.session.scalars(sa.select(Agency).options(selectinload(Agency.parent)).order_by(Agency.code)))


def managed_by(own: Agency) -> list[Agency]:
    """What an admin of `own` may edit: it, the agencies under it, and external partners (which have no admin)."""
    under = {agency.id for agency in statistics.descendants(own)}
    return [agency for agency in every() if agency.id == own.id or agency.id in under or agency.external]


def find_managed(own: Agency, agency_id: int) -> Agency | None:
    """The agency if an admin of `own` may edit it."""
    return next((agency for agency in managed_by(own) if agency.id == agency_id), None)


def create(code: str, name: str, level: str, parent: Agency | None, external: bool, own: Agency, *,
           receiving_unit: str = "") -> Agency:
    """A new agency, such as a partner the catalogue's inter-agency routes send dossiers to (by an admin of `own`)."""
    _check_code(code, None)
    _check_readers(own, None, parent)
    agency = Agency(code=code, name=name, level=AgencyLevel(level), parent=parent, external=external,
                    receiving_unit=receiving_unit.strip())
    db.session.add(agency)
    db.session.flush()
    return agency


def update(agency: Agency, code: str, name: str, level: str, parent: Agency | None, external: bool,
           own: Agency, *, receiving_unit: str | None = None) -> Agency:
    """New details; the code changes only while no dossier carries it, and the parents never loop."""
    if code != agency.code:
        _check_code(code, agency)
        if db.session.scalar(sa.select(Dossier.id).where(Dossier.agency_id == agency.id).limit(1)):
            # Each dossier code starts with the agency code and is printed on receipts and folders.
            raise WorkflowError(_("Không đổi được mã của cơ quan đã có hồ sơ: mã hồ sơ đã in mang mã cơ quan."),
                                field="code")
    if parent is not None and (parent.id == agency.id or parent in statistics.descendants(agency)):
        raise WorkflowError(_("Cơ quan cấp trên không thể là chính cơ quan này hoặc một cơ quan trực thuộc nó."),
                            field="parent")
    if parent != agency.parent:
        _check_readers(own, agency, parent)
    if external and (agency.is_home or _has_users(agency)):
        raise WorkflowError(_("Cơ quan có tài khoản cán bộ trong hệ thống không thể là cơ quan ngoài hệ thống."),
                            field="external")
    agency.code, agency.name, agency.level = code, name, AgencyLevel(level)
    agency.parent, agency.external = parent, external
    if receiving_unit is not None:
        agency.receiving_unit = receiving_unit.strip()
    return agency


def _check_readers(own: Agency, agency: Agency | None, parent: Agency | None) -> None:
    """Refuse a parent that would change what the staff of an agency outside `own`'s reach may read.

    A leader reads the figures and register of their agency and of every agency under it, so moving an
    agency changes the reach of all the agencies above it, before and after, and an agency moved with
    others under it carries them along. An admin answers only for their own agency, those under it and
    external partners (which have no staff): any other agency on either side must stay as it was.
    """
    everyone = {other.id: other for other in every()}
    mine = {own.id, *(other.id for other in statistics.descendants(own))}
    above = _chain(everyone, agency.parent_id if agency else None) ^ _chain(everyone, parent.id if parent else None)
    carried = {agency.id, *(other.id for other in statistics.descendants(agency))} if agency else set()
    outside = sorted(everyone[i].code for i in above | carried if i not in mine and not everyone[i].external)
    if outside:
        raise WorkflowError(_("Không đổi được cơ quan cấp trên: việc này thay đổi phạm vi xem số liệu của cơ quan "
                              "%(codes)s, việc do quản trị viên của cơ quan đó quyết định.",
                              codes=", ".join(outside)), field="parent")


def _chain(everyone: dict[int, Agency], start: int | None) -> set[int]:
    """The agency `start` and every agency above it."""
    found = set()
    while start is not None and start not in found:
        found.add(start)
        start = everyone[start].parent_id
    return found


def _check_code(code: str, agency: Agency | None) -> None:
    # Decision 20/2020/QĐ-TTg (domain.md §2): dot-separated segments of A–Z and 0–9, at most 35 characters.
    if not is_agency_code(code):
        raise WorkflowError(_("Mã định danh cơ quan gồm chữ in hoa A–Z, chữ số và dấu chấm, ví dụ 000.13.31.H57, "
                              "tối đa 35 ký tự."), field="code")
    taken = db.session.scalar(sa.select(Agency.id).where(Agency.code == code))
    if taken is not None and (agency is None or taken != agency.id):
        raise WorkflowError(_("Đã có cơ quan mang mã %(code)s.", code=code), field="code")


def _has_users(agency: Agency) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.agency_id == agency.id).limit(1)) is not None
