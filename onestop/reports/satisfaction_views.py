"""/reports/satisfaction: how satisfied citizens were in the period picked, and what they wrote."""
from flask import render_template

from .. import satisfaction
from .views import bp, picked


@bp.get("/satisfaction")
def satisfaction_report():
    """Counts and shares per answer and per criterion, then the comments."""
    form, agency, period = picked()
    found = satisfaction.report(agency, period) if period else None
    return render_template("reports/satisfaction.html", form=form, agency=agency, period=period, report=found,
                           overall_labels=satisfaction.OVERALL_LABELS), 200 if period or not form.errors else 422
