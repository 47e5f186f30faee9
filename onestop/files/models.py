"""The files of a dossier (scans of its papers, its electronic result) and the papers exempt from scanning."""
import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from ..models.types import UTCDateTime, enum_column


class FileKind(enum.StrEnum):
    COMPONENT = "component"  # a scan of a paper the citizen brought (thành phần hồ sơ)
    RESULT = "result"        # the signed result, as an electronic copy (kết quả điện tử)


class DossierFile(db.Model):
    """One stored file of a dossier; the bytes live in the store under their SHA-256."""

    __tablename__ = "dossier_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind), default=FileKind.COMPONENT)
    document: Mapped[int | None] = mapped_column()  # the index of the dossier's document line
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    name: Mapped[str] = mapped_column(sa.String(255))  # the file's name as uploaded, made safe
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    content_type: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # What provinces record of a paper (Circular 01/2023/TT-VPCP): all optional.
    document_number: Mapped[str] = mapped_column(sa.String(100), default="")
    issuer: Mapped[str] = mapped_column(sa.String(300), default="")
    signer: Mapped[str] = mapped_column(sa.String(200), default="")
    issued_on: Mapped[date | None] = mapped_column()
    valid_until: Mapped[date | None] = mapped_column()

    dossier = relationship("Dossier")
    uploaded_by = relationship("User")

    def __repr__(self) -> str:
        return f"<DossierFile {self.id} {self.kind} {self.sha256[:8]}>"


class DocumentExemption(db.Model):
    """A document line of a dossier that is not scanned, and why (Circular 01/2023 art. 4; data/scan_exemptions.csv)."""

    __tablename__ = "document_exemption"
    __table_args__ = (sa.UniqueConstraint("dossier_id", "document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    document: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
