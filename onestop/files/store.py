"""Attach, list, read and remove the files of a dossier. Never commits: the caller commits once.

The bytes go to the store before the row is added, so a file that fails to store leaves no row; an
object is deleted only after the commit that dropped its last row (`discard_unreferenced`).
"""
import hashlib
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from .. import history
from ..errors import WorkflowError
from ..extensions import db
from ..handovers import is_staff_of
from ..models import Dossier, DossierStatus, User
from . import content, storage
from .models import DocumentExemption, DossierFile, FileKind

# Results may be attached once the work is done and until the citizen has it; papers while the dossier is open.
RESULT_STATUSES = (DossierStatus.PROCESSING, DossierStatus.AWAITING_APPROVAL, DossierStatus.RESULT_READY,
                   DossierStatus.RETURNED)
MEGABYTE = 1024 * 1024


@dataclass
class Upload:
    """One file as the clerk sends it, with what provinces record about the paper."""

    data: bytes
    name: str = ""
    kind: FileKind = FileKind.COMPONENT
    document: int | None = None
    title: str = ""
    document_number: str = ""
    issuer: str = ""
    signer: str = ""
    issued_on: date | None = None
    valid_until: date | None = None


class FileMissing(Exception):
    """The row is there but its bytes are not (or not intact) in the store."""


def limits() -> tuple[int, int]:
    """The largest file and the most bytes one dossier may hold (config FILES_MAX_MB, FILES_MAX_DOSSIER_MB)."""
    config = current_app.config
    return int(config["FILES_MAX_MB"] * MEGABYTE), int(config["FILES_MAX_DOSSIER_MB"] * MEGABYTE)


def attach(dossier: Dossier, user: User, upload: Upload, *, now: datetime) -> DossierFile:
    """Check the file, put its bytes in the store, and add its row and an event to the dossier."""
    _check_may_attach(dossier, user, upload)
    per_file, per_dossier = limits()
    if len(upload.data) > per_file:
        raise content.FileRefused(_("Tệp lớn hơn giới hạn %(limit)s MB cho mỗi tệp.", limit=per_file // MEGABYTE), 413)
    if total_size(dossier) + len(upload.data) > per_dossier:
        raise content.FileRefused(_("Hồ sơ đã dùng gần hết dung lượng %(limit)s MB dành cho tệp số hóa.",
                                    limit=per_dossier // MEGABYTE), 413)
    kind = content.content_type(upload.data)
    sha = hashlib.sha256(upload.data).hexdigest()
    try:
        storage.current_store().put(storage.blob_key(sha), upload.data)
    except storage.StoreUnavailable:
        current_app.logger.exception("file store write failed")
        raise content.FileRefused(_("Không lưu được tệp vào kho lưu trữ; chưa có gì được ghi. Vui lòng thử lại."),
                                  503) from None
    stored = DossierFile(
        dossier=dossier, kind=upload.kind, document=upload.document, title=(upload.title or "").strip()[:300],
        name=content.safe_name(upload.name, kind), size=len(upload.data), sha256=sha, content_type=kind,
        uploaded_at=now, uploaded_by=user, document_number=(upload.document_number or "").strip()[:100],
        issuer=(upload.issuer or "").strip()[:300], signer=(upload.signer or "").strip()[:200],
        issued_on=upload.issued_on, valid_until=upload.valid_until)
    db.session.add(stored)
    history.record(dossier, "attach_file", now, actor=user, note=_file_note(dossier, stored),
                   data={"sha256": sha, "kind": upload.kind.value, "document": upload.document})
    db.session.flush()
    return stored


def attach_all(dossier: Dossier, user: User, uploads, *, now: datetime) -> list[DossierFile]:
    """Attach each of the uploads (None entries skipped): the intake form's scans, the step's result."""
    return [attach(dossier, user, upload, now=now) for upload in uploads if upload is not None]


def _check_may_attach(dossier: Dossier, user: User, upload: Upload) -> None:
    if not is_staff_of(user, dossier.agency):
        raise WorkflowError(_("Chỉ cán bộ của cơ quan tiếp nhận mới được đính kèm tệp vào hồ sơ."))
    if upload.kind == FileKind.RESULT and dossier.status not in RESULT_STATUSES:
        raise WorkflowError(_("Hồ sơ %(code)s đang ở trạng thái “%(status)s”: chưa thể đính kèm kết quả.",
                              code=dossier.code, status=dossier.status_label))
    if upload.kind == FileKind.COMPONENT and not dossier.is_open:
        raise WorkflowError(_("Hồ sơ %(code)s đã kết thúc: không thể đính kèm thêm giấy tờ.", code=dossier.code))
    if upload.document is not None and not 0 <= upload.document < len(dossier.documents or []):
        raise WorkflowError(_("Hồ sơ không có dòng giấy tờ số %(number)s.", number=upload.document + 1),
                            field="document")
    if not upload.data:
        raise content.FileRefused(_("Tệp rỗng; hãy chọn tệp đã quét."))


def _file_note(dossier: Dossier, stored: DossierFile) -> str:
    if stored.kind == FileKind.RESULT:
        return f"Kết quả điện tử: {stored.name}"
    line = document_name(dossier, stored.document)
    return f"Số hóa: {stored.name}" + (f" ({line})" if line else "")


def document_name(dossier: Dossier, index: int | None) -> str:
    """The name of the dossier's document line, or '' when the file belongs to none."""
    documents = dossier.documents or []
    return documents[index].get("name", "") if index is not None and 0 <= index < len(documents) else ""


def total_size(dossier: Dossier) -> int:
    """The bytes the dossier's files take, counted in SQL."""
    if dossier.id is None:
        return 0
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(DossierFile.size), 0))
                             .where(DossierFile.dossier_id == dossier.id)) or 0


def files_of(dossier: Dossier, kind: FileKind | None = None) -> list[DossierFile]:
    """The dossier's files in the order they were attached."""
    query = sa.select(DossierFile).where(DossierFile.dossier_id == dossier.id).order_by(DossierFile.id)
    if kind is not None:
        query = query.where(DossierFile.kind == kind)
    return list(db.session.scalars(query))


def find(dossier: Dossier, file_id: int) -> DossierFile | None:
    """One file of this dossier (an id of another dossier's file finds nothing)."""
    return db.session.scalar(sa.select(DossierFile).where(DossierFile.id == file_id,
                                                         DossierFile.dossier_id == dossier.id))


def read(stored: DossierFile) -> bytes:
    """The file's bytes, checked against its SHA-256; FileMissing when the store lost or damaged them."""
    try:
        data = storage.current_store().get(storage.blob_key(stored.sha256))
    except (storage.MissingObject, storage.StoreUnavailable) as error:
        current_app.logger.error("file %s of dossier %s unreadable: %s", stored.id, stored.dossier_id, error)
        raise FileMissing(stored.sha256) from None
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        current_app.logger.error("file %s of dossier %s damaged in the store", stored.id, stored.dossier_id)
        raise FileMissing(stored.sha256)
    return data


def remove(stored: DossierFile, user: User, *, now: datetime) -> str:
    """Delete a file the user uploaded while the dossier is open; the event keeps its name and hash."""
    dossier = stored.dossier
    if stored.uploaded_by_id != user.id:
        raise WorkflowError(_("Chỉ người đã tải tệp lên mới được xóa tệp."))
    if not dossier.is_open:
        raise WorkflowError(_("Hồ sơ %(code)s đã kết thúc: không thể xóa tệp.", code=dossier.code))
    history.record(dossier, "remove_file", now, actor=user, note=f"Xóa tệp: {stored.name}",
                   data={"sha256": stored.sha256, "kind": stored.kind.value, "document": stored.document})
    db.session.delete(stored)
    db.session.flush()
    return stored.sha256


def delete_component_files(dossier: Dossier, *, keep_results: bool = True) -> list[str]:
    """For the retention purge: drop the rows of the dossier's scanned papers (and results unless kept).

    Returns the hashes to pass to `discard_unreferenced` after the commit.
    """
    kinds = [FileKind.COMPONENT] if keep_results else [FileKind.COMPONENT, FileKind.RESULT]
    rows = db.session.scalars(sa.select(DossierFile).where(DossierFile.dossier_id == dossier.id,
                                                          DossierFile.kind.in_(kinds))).all()
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return sorted({row.sha256 for row in rows})


def discard_unreferenced(hashes) -> int:
    """After the commit: delete the stored bytes (and thumbnails) that no row uses any more."""
    hashes = set(hashes)
    if not hashes:
        return 0
    used = set(db.session.scalars(sa.select(DossierFile.sha256).where(DossierFile.sha256.in_(hashes))))
    store = storage.current_store()
    for sha in hashes - used:
        store.delete(storage.blob_key(sha))
        store.delete(storage.thumbnail_key(sha))
    return len(hashes - used)


def set_exemption(dossier: Dossier, user: User, document: int, reason: str, *, now: datetime) -> None:
    """Mark a document line as not to be scanned, with one of the listed reasons ('' clears it)."""
    from . import exemptions

    if not is_staff_of(user, dossier.agency):
        raise WorkflowError(_("Chỉ cán bộ của cơ quan tiếp nhận mới được ghi nhận giấy tờ không số hóa."))
    if not 0 <= document < len(dossier.documents or []):
        raise WorkflowError(_("Hồ sơ không có dòng giấy tờ số %(number)s.", number=document + 1), field="document")
    if reason and reason not in exemptions.REASONS:
        raise WorkflowError(_("Lý do không số hóa không có trong danh mục."), field="reason")
    row = db.session.scalar(sa.select(DocumentExemption).filter_by(dossier_id=dossier.id, document=document))
    if row is not None and not reason:
        db.session.delete(row)
    elif row is not None:
        row.reason, row.recorded_at, row.recorded_by_id = reason, now, user.id
    elif reason:
        db.session.add(DocumentExemption(dossier_id=dossier.id, document=document, reason=reason,
                                         recorded_at=now, recorded_by_id=user.id))
    db.session.flush()
