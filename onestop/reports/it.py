"""/reports/it: the yearly IT report, pre-filled from the previous one, with the one-stop figures computed."""
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock, itreports, periods, report_files, statistics
from ..extensions import db
from ..files import figures as files_figures
from .forms import ItReportForm
from .views import bp


@bp.route("/it", methods=["GET", "POST"])
def it_report():
    """The form of every section; 'Xem số liệu' recounts for the period, 'Lưu' keeps the report for download."""
    agency = current_user.agency
    form = ItReportForm()
    if request.method == "GET":
        form.fill(*itreports.draft(agency, clock.today()))
    if form.validate_on_submit() and "save" in request.form:
        report = itreports.issue(agency, form.period(), form.number.data, form.sections(), current_user)
        db.session.commit()
        flash(_("Đã lưu báo cáo CNTT; tải tệp Word ở danh sách bên dưới."), "success")
        return redirect(url_for("reports.it_report", _anchor=f"report-{report.id}"))
    period = form.period() if not (form.start.errors or form.end.errors) and form.start.data else None
    figures = statistics.it_figures(agency, period, form.desk_total.data if not form.desk_total.errors else None,
                                    clock.today()) if period else None
    return render_template("reports/it.html", form=form, period=period, agency=agency,
                           lines=(itreports.one_stop_lines(figures)
                                  + files_figures.report_lines(files_figures.digitisation(agency, period)))
                           if figures else [],
                           issued=itreports.issued(agency)), 422 if form.errors else 200


@bp.get("/it/<int:report_id>.docx")
def it_report_file(report_id):
    """A kept IT report as a Word file, its one-stop figures counted again for its period."""
    report = itreports.find(current_user.agency, report_id)
    if report is None:
        abort(404)
    period = periods.named(report.period_start, report.period_end)
    data = report_files.it_report(report.agency, period, report.sections, report.number,
                                  clock.local(report.created_at).date())
    return send_file(BytesIO(data), mimetype=report_files.MIMETYPES["docx"], as_attachment=True,
                     download_name=f"bao-cao-cntt_{report.agency.code}_{report.period_end:%Y%m%d}.docx")
