"""Which papers of a dossier are scanned, exempt from scanning (and why), or still missing.

The exceptions are data (onestop/data/scan_exemptions.csv): Circular 03/2025/TT-VPCP art. 5 has papers
scanned at intake to the standard of Circular 01/2023/TT-VPCP, whose art. 4(2) lists what is not
scanned: papers already shared as data with legal value, copies submitted as copies, papers only shown,
and secret papers.
"""
import csv
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import Dossier
from .models import DocumentExemption, DossierFile, FileKind

DATA = Path(__file__).resolve().parent.parent / "data" / "scan_exemptions.csv"


def _load() -> dict[str, tuple[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as file:
        return {row["code"]: (row["reason"], row["source"]) for row in csv.DictReader(file)}


REASONS = _load()  # code -> (the reason as the law words it, its source)


@dataclass
class Line:
    """One document line of a dossier and its digitisation: its files, or the reason it is exempt."""

    index: int
    name: str
    files: list[DossierFile] = field(default_factory=list)
    exemption: str = ""

    @property
    def state(self) -> str:
        return "digitised" if self.files else "exempt" if self.exemption else "missing"

    @property
    def exemption_text(self) -> str:
        return REASONS.get(self.exemption, ("", ""))[0]


def coverage(dossier: Dossier) -> tuple[list[Line], list[DossierFile], list[DossierFile]]:
    """The document lines with their state, the papers attached to no line, and the result files."""
    lines = [Line(index, document.get("name", "")) for index, document in enumerate(dossier.documents or [])]
    loose, results = [], []
    for stored in db.session.scalars(sa.select(DossierFile).where(DossierFile.dossier_id == dossier.id)
                                     .order_by(DossierFile.id)):
        if stored.kind == FileKind.RESULT:
            results.append(stored)
        elif stored.document is not None and stored.document < len(lines):
            lines[stored.document].files.append(stored)
        else:
            loose.append(stored)
    # A line's exemption matters only while it has no scan: a dossier scanned in full (the rule since Circular
    # 03/2025 art. 5) or without a list of papers needs no second query.
    if any(not line.files for line in lines):
        for row in db.session.scalars(sa.select(DocumentExemption).where(DocumentExemption.dossier_id == dossier.id)):
            if row.document < len(lines):
                lines[row.document].exemption = row.reason
    return lines, loose, results
