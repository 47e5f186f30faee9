"""/reports: the statistics form on screen with a period picker, and its XLSX and DOCX files."""
from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import clock, periods, report_files, statistics
from ..access import require_role
from ..documents import form06
from .forms import PeriodForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.before_request(require_role("leader", "clerk", "admin"))


def visible_agencies():
    """The user's agency and the agencies under it: a parent agency's leaders see their children's figures."""
    return [current_user.agency, *statistics.descendants(current_user.agency)]


def picked():
    """The period form bound to the query string, the chosen agency and period (None with form errors)."""
    today = clock.today()
    current = periods.current_official_month(today)
    defaults = {"kind": "month", "year": current.end.year, "number": current.end.month}
    form = PeriodForm(request.args if request.args else None, data=None if request.args else defaults)
    agencies = visible_agencies()
    form.agency.choices = [SelectChoice(agency.code, agency.name) for agency in agencies]
    if not request.args:
        form.agency.data = agencies[0].code
        return form, agencies[0], current
    if not form.validate():
        return form, agencies[0], None
    try:
        period = form.period(today)
    except ValueError as error:
        form.kind.errors = [_("Kỳ báo cáo không hợp lệ: %(reason)s", reason=str(error))]
        return form, agencies[0], None
    agency = next((agency for agency in agencies if agency.code == form.agency.data), None)
    if agency is None and form.agency.data:
        form.agency.errors = [_("Cơ quan này không thuộc phạm vi của bạn.")]
        return form, agencies[0], None
    return form, agency or agencies[0], period


@bp.get("/")
def tthc():
    """The statistics form (Biểu 06) of the chosen period, by field, with the children of a parent agency."""
    form, agency, period = picked()
    report = statistics.tthc_report(agency, period, clock.today()) if period else None
    return render_template("reports/tthc.html", form=form, report=report, agency=agency,
                           query=request.args.to_dict() or {"kind": form.kind.data, "year": form.year.data,
                                                            "number": form.number.data, "agency": agency.code},
                           note=statistics.COUNTING_NOTE, percent=form06.on_time_percent)


@bp.get("/tthc.<extension>")
def tthc_file(extension):
    """The same figures as an Excel workbook or a Word report ready to sign."""
    if extension not in report_files.MIMETYPES:
        abort(404)
    form, agency, period = picked()
    if period is None:
        return render_template("reports/tthc.html", form=form, report=None, agency=agency, query={},
                               note=statistics.COUNTING_NOTE, percent=form06.on_time_percent), 422
    number = request.args.get("report_number", type=int)
    data = report_files.tthc(agency, period, clock.today(), extension, number)
    return send_file(BytesIO(data), mimetype=report_files.MIMETYPES[extension], as_attachment=True,
                     download_name=report_files.file_name(agency, period, extension))
