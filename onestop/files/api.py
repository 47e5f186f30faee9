"""API v1 routes of files: upload, list, download and delete a dossier's files (DESIGN.md §12)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask import request
from marshmallow import Schema, ValidationError, fields, validate, validates
from werkzeug.datastructures import FileStorage

from .. import clock, periods, transfers
from ..api import auth
from ..api.errors import ApiError, validation_error
from ..api.fields import Day, InputSchema, LocalDateTime, Text, messages
from ..api.schemas import AgencyRef
from ..api.stats import REPORTERS, StatsQuery
from ..api.stats import _agency as stats_agency
from ..api.views import bp
from ..extensions import db
from ..models import Dossier
from . import content, store
from .figures import digitisation
from .models import DossierFile, FileKind
from .responses import file_response

READERS = ("clerk", "officer", "leader")


class FileSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": [kind.value for kind in FileKind]})
    document = fields.Integer(allow_none=True, metadata={"description": "Index of the dossier's document line"})
    title = fields.String()
    name = fields.String(metadata={"description": "Safe file name, extension from the checked type"})
    size = fields.Integer()
    sha256 = fields.String()
    content_type = fields.String(metadata={"enum": list(content.EXTENSIONS)})
    uploaded_at = LocalDateTime()
    document_number = fields.String()
    issuer = fields.String()
    signer = fields.String()
    issued_on = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)


class FileList(Schema):
    items = fields.List(fields.Nested(FileSchema))


class UploadInput(InputSchema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"},
                      error_messages={"required": _l("Thiếu tệp (file)."), "null": _l("Thiếu tệp (file).")})
    kind = fields.String(load_default=FileKind.COMPONENT.value, validate=validate.OneOf(
        [kind.value for kind in FileKind], error=_l("Loại tệp phải là component hoặc result.")),
        error_messages=messages(_l("loại tệp (kind)")))
    document = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=999),
                              error_messages=messages(_l("dòng giấy tờ (document)")),
                              metadata={"description": "Index (from 0) of the dossier's document line"})
    title = Text(_l("tiêu đề (title)"), limit=300, load_default="")
    document_number = Text(_l("số văn bản (document_number)"), limit=100, load_default="")
    issuer = Text(_l("cơ quan cấp (issuer)"), limit=300, load_default="")
    signer = Text(_l("người ký (signer)"), limit=200, load_default="")
    issued_on = Day(_l("ngày cấp (issued_on)"), load_default=None)
    valid_until = Day(_l("có giá trị đến (valid_until)"), load_default=None)

    @validates("file")
    def _is_a_file(self, value, **kwargs):
        if not isinstance(value, FileStorage):
            raise ValidationError(str(_l("Thiếu tệp (file).")))


def _upload_input() -> dict:
    # One multipart body of fields and the file: read here, as flask-smorest documents only one body location.
    try:
        return UploadInput().load({**request.form.to_dict(), **request.files.to_dict()})
    except ValidationError as error:
        raise validation_error({"form": error.messages}) from None


@bp.post("/dossiers/<code>/files")
@auth.allow("clerk", "officer", "leader")
@bp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": UploadInput}}})
@bp.response(201, FileSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def upload_file(code):
    """Attach a scanned paper or the electronic result; the type is checked from the bytes (PDF, JPEG, PNG)."""
    dossier = _dossier_or_404(code, lock=True)
    form = _upload_input()
    sent = form.pop("file")
    data, name = sent.read(), sent.filename or ""
    sent.close()  # a large upload is spooled to a temporary file: let it go at once
    upload = store.Upload(data=data, name=name, **{**form, "kind": FileKind(form["kind"])})
    try:
        stored = store.attach(dossier, auth.current(), upload, now=clock.now())
    except content.FileRefused as error:
        db.session.rollback()
        raise ApiError(error.status, error.message, fields={"file": [error.message]}) from None
    db.session.commit()
    return stored


@bp.get("/dossiers/<code>/files")
@auth.allow(*READERS)
@bp.response(200, FileList)
@bp.alt_response(404, response="NOT_FOUND")
def dossier_files(code):
    """The dossier's files, oldest first (the bytes are at each file's own address)."""
    return {"items": store.files_of(_dossier_or_404(code))}


@bp.get("/dossiers/<code>/files/<int:file_id>")
@auth.allow(*READERS)
@bp.doc(responses={200: {"description": "The file's bytes, as an attachment", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in content.EXTENSIONS}}})
@bp.alt_response(404, response="NOT_FOUND")
def dossier_file(code, file_id):
    """The bytes of one file, as stored (logged in the personal-data log)."""
    stored = _file_or_404(_dossier_or_404(code), file_id)
    try:
        return file_response(stored, store.read(stored))
    except store.FileMissing:
        raise ApiError(404, _("Tệp %(name)s không còn trong kho lưu trữ; hãy báo quản trị viên.",
                              name=stored.name), code="file_missing") from None


@bp.delete("/dossiers/<code>/files/<int:file_id>")
@auth.allow("clerk", "officer", "leader")
@bp.response(204)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def delete_file(code, file_id):
    """Delete a file one uploaded, while the dossier is open; an event records it."""
    stored = _file_or_404(_dossier_or_404(code, lock=True), file_id)
    sha = store.remove(stored, auth.current(), now=clock.now())
    db.session.commit()
    store.discard_unreferenced([sha])
    return None


def _dossier_or_404(code: str, *, lock: bool = False) -> Dossier:
    dossier = transfers.find_for(auth.current(), code, lock=lock)  # another agency's dossier is not there
    if dossier is None:
        raise ApiError(404, _("Không tìm thấy hồ sơ có mã “%(code)s” tại cơ quan của bạn.", code=code[:40]))
    return dossier


def _file_or_404(dossier: Dossier, file_id: int) -> DossierFile:
    stored = store.find(dossier, file_id)
    if stored is None:
        raise ApiError(404, _("Hồ sơ %(code)s không có tệp số %(id)s.", code=dossier.code, id=file_id))
    return stored



class DigitisationSchema(Schema):
    agency = fields.Nested(AgencyRef)
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    received = fields.Integer(metadata={"description": "Dossiers received in the period"})
    digitised = fields.Integer(metadata={"description": "Of them, every document line scanned or exempt"})
    digitised_share = fields.Float(allow_none=True, metadata={"description": "digitised / received (766 index)"})
    results = fields.Integer(metadata={"description": "Results issued in the period (ready or returned)"})
    e_results = fields.Integer(metadata={"description": "Of them, with an electronic copy"})
    e_result_share = fields.Float(allow_none=True, metadata={"description": "e_results / results (766 index)"})


@bp.get("/stats/digitization")
@auth.allow(*REPORTERS)
@bp.arguments(StatsQuery, location="query")
@bp.response(200, DigitisationSchema)
@bp.alt_response(404, response="NOT_FOUND")
def digitization_stats(query):
    """Digitisation figures of the caller's agency (or one under it) and its agencies, as the 766 index counts."""
    agency = stats_agency(query.get("agency"))
    figures = digitisation(agency, periods.date_range(query["from_"], query["to"]))
    return {"agency": agency, "from_": query["from_"], "to": query["to"], **vars(figures),
            "digitised_share": figures.digitised_share, "e_result_share": figures.e_result_share}
