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
    """Count the figures for `agency` and the agencies under it, in one statement of four counts.

    Each count reads as little as it can (BENCHMARKS.md, "IT report"): the two totals from indexes alone
    (`ix_dossier_stats`, `ix_dossier_agency_status`), the two digitised counts starting from the files
    and exemptions, which are few where scanning has just begun and never more than the dossiers.
    """
    ids = tuple(unit.id for unit in (agency, *descendants(agency)))
    received_in = sa.and_(Dossier.agency_id.in_(ids), Dossier.received_on.between(period.start, period.end))
    issued_in = sa.and_(Dossier.agency_id.in_(ids), Dossier.status.in_(RESULT_ISSUED),
                        Dossier.completed_on.between(period.start, period.end))
    lines = sa.union(  # each covered line once, scanned or exempt
        sa.select(DossierFile.dossier_id, DossierFile.document)
        .where(DossierFile.kind == FileKind.COMPONENT, DossierFile.document.is_not(None)),
        sa.select(DocumentExemption.dossier_id, DocumentExemption.document)).subquery()
    covered = (sa.select(lines.c.dossier_id, sa.func.count().label("lines"))
               .group_by(lines.c.dossier_id).subquery())
    required = sa.func.json_array_length(Dossier.documents)  # SQLite and PostgreSQL (json) alike
    e_copies = sa.select(DossierFile.dossier_id).where(DossierFile.kind == FileKind.RESULT)

    def count(*where, joined=None):
        return sa.select(sa.func.count()).select_from(joined if joined is not None else Dossier.__table__) \
            .where(*where).scalar_subquery()

    row = db.session.execute(sa.select(
        count(received_in),
        count(received_in, required > 0, covered.c.lines >= required,
              joined=covered.join(Dossier, Dossier.id == covered.c.dossier_id)),
        count(issued_in),
        count(issued_in, Dossier.id.in_(e_copies)),  # the dossiers with a result file, looked up by key
    )).one()
    return Digitisation(*row)


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
