"""Forms of the desk's file pages, and the file fields the intake form and the 'result ready' step carry."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from .models import FileKind
from .store import Upload

ACCEPT = "application/pdf,image/jpeg,image/png"


class UploadForm(FlaskForm):
    """Scans for one document line (or the result) on the dossier page; the files come from request.files."""

    kind = SelectField(_l("Loại tệp"), default=FileKind.COMPONENT.value, choices=[
        SelectChoice(FileKind.COMPONENT.value, _l("Giấy tờ trong hồ sơ")),
        SelectChoice(FileKind.RESULT.value, _l("Kết quả điện tử"))])
    document = IntegerField(_l("Dòng giấy tờ"), validators=[Optional(), NumberRange(0, 999)])
    title = StringField(_l("Tiêu đề"), validators=[Optional(), Length(max=300)])
    document_number = StringField(_l("Số, ký hiệu"), validators=[Optional(), Length(max=100)])
    issuer = StringField(_l("Cơ quan cấp"), validators=[Optional(), Length(max=300)])
    signer = StringField(_l("Người ký"), validators=[Optional(), Length(max=200)])
    issued_on = DateField(_l("Ngày cấp"), validators=[Optional()])
    valid_until = DateField(_l("Có giá trị đến"), validators=[Optional()])

    def uploads(self, files) -> list[Upload]:
        """One Upload per chosen file, each with the form's line and metadata."""
        return [Upload(data=file.read(), name=file.filename or "", kind=FileKind(self.kind.data),
                       document=self.document.data, title=self.title.data or "",
                       document_number=self.document_number.data or "", issuer=self.issuer.data or "",
                       signer=self.signer.data or "", issued_on=self.issued_on.data,
                       valid_until=self.valid_until.data)
                for file in files.getlist("file") if file and file.filename]


class ExemptionForm(FlaskForm):
    document = IntegerField(validators=[NumberRange(0, 999)])
    reason = HiddenField()


def intake_uploads(form_data, files) -> list[Upload]:
    """The scans chosen beside each checked document of the intake checklist (`doc_file_<row>`).

    The dossier keeps only the checked lines, in order (desk.forms.submitted_documents): a row's files
    belong to its position among them.
    """
    uploads, position = [], 0
    for row in form_data.getlist("doc_checked"):
        if not (form_data.get(f"doc_name_{row}") or "").strip():
            continue
        for file in files.getlist(f"doc_file_{row}"):
            if file and file.filename:
                uploads.append(Upload(data=file.read(), name=file.filename, document=position,
                                      title=form_data.get(f"doc_name_{row}", "").strip()[:300]))
        position += 1
    return uploads


def result_upload(files) -> Upload | None:
    """The signed result chosen on the 'result ready' step, if any."""
    file = files.get("result_file")
    if not file or not file.filename:
        return None
    return Upload(data=file.read(), name=file.filename, kind=FileKind.RESULT, title="Kết quả giải quyết")
