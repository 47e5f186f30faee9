"""/reports/charts/<name>.svg: the charts of the period picked on the statistics page."""
from flask import Response, abort

from .. import charts, statistics
from .views import bp, picked

CHARTS = {
    "activity": lambda agency, period: charts.received_and_resolved(statistics.monthly(agency, period)),
    "on-time": lambda agency, period: charts.on_time_share(statistics.monthly(agency, period)),
    "satisfaction": lambda agency, period: charts.satisfaction(statistics.satisfaction(agency, period)),
}


@bp.get("/charts/<name>.svg")
def chart(name):
    """One chart as SVG, for the same agency and period as the table beside it."""
    _form, agency, period = picked()
    if name not in CHARTS or period is None:
        abort(404)
    return Response(CHARTS[name](agency, period), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=60"})
