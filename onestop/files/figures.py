"""The digitisation figures of a period (Decision 766/QĐ-TTg, digitisation: 22 of its 100 points), in SQL.

Dossiers received in the period, and of them those whose every document line is scanned or exempt; results
issued in the period (result ready or returned), and of them those with an electronic copy. The index counts
the two shares: digitised dossiers over dossiers received, e-results over results issued.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Agency, Dossier, DossierStatus
from ..periods import Period
from ..statistics import descendants
from .models import DocumentExemption, DossierFile, FileKind

RESULT_ISSUED = (DossierStatus.RESULT_READY, DossierStatus.RETURNED)


@dataclass(frozen=True)
class Digitisation:
    """The four counts and their two shares (None for an empty denominator)."""

    received: int
    digitised: int
    results: int
    e_results: int

    @property
    def digitised_share(self) -> float | None:
        return self.digitised / self.received if self.received else None

    @property
    def e_result_share(self) -> float | None:
        return self.e_results / self.results if self.results else None


def digitisation(agency: Agency, period: Period) -> Digitisation:
    """Count the figures for `agency` and the agencies under it; one query for each half."""
    ids = tuple(unit.id for unit in (agency, *descendants(agency)))
    lines = sa.union(  # each covered line once, scanned or exempt
        sa.select(DossierFile.dossier_id, DossierFile.document)
        .where(DossierFile.kind == FileKind.COMPONENT, DossierFile.document.is_not(None)),
        sa.select(DocumentExemption.dossier_id, DocumentExemption.document)).subquery()
    covered = (sa.select(lines.c.dossier_id, sa.func.count().label("lines"))
               .group_by(lines.c.dossier_id).subquery())
    required = sa.func.json_array_length(Dossier.documents)  # SQLite and PostgreSQL (json) alike
    complete = sa.and_(required > 0, sa.func.coalesce(covered.c.lines, 0) >= required)
    received, digitised = db.session.execute(
        sa.select(sa.func.count(Dossier.id), _count(complete))
        .outerjoin(covered, covered.c.dossier_id == Dossier.id)
        .where(Dossier.agency_id.in_(ids), Dossier.received_on.between(period.start, period.end))).one()
    e_copy = sa.exists().where(DossierFile.dossier_id == Dossier.id, DossierFile.kind == FileKind.RESULT)
    results, e_results = db.session.execute(
        sa.select(sa.func.count(Dossier.id), _count(e_copy))
        .where(Dossier.agency_id.in_(ids), Dossier.status.in_(RESULT_ISSUED),
               Dossier.completed_on.between(period.start, period.end))).one()
    return Digitisation(received, digitised, results, e_results)


def _count(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def report_lines(figures: Digitisation) -> list[str]:
    """The IT report's sentences on digitisation (printed in Vietnamese whatever the screen's language)."""
    from ..itreports import percent

    def share(value: float | None) -> str:
        return f", đạt {percent(value)}" if value is not None else ""

    return [
        f"Hồ sơ được số hóa đầy đủ thành phần khi tiếp nhận: {figures.digitised}/{figures.received} hồ sơ"
        f"{share(figures.digitised_share)}.",
        f"Kết quả giải quyết được cấp bản điện tử: {figures.e_results}/{figures.results} kết quả"
        f"{share(figures.e_result_share)}.",
    ]
