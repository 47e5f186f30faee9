"""GET /api/v1/stats/tthc: the statistics form's rows (Biểu 06, domain.md §5) for a range of days."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from .. import clock, periods, statistics
from ..models import Agency
from . import auth
from .errors import ApiError
from .fields import Day, InputSchema, Text
from .schemas import AgencyRef
from .views import bp

REPORTERS = ("leader", "clerk", "admin")


class StatsQuery(InputSchema):
    from_ = Day(_l("ngày bắt đầu (from)"), data_key="from", required=True)
    to = Day(_l("ngày kết thúc (to)"), required=True)
    agency = Text(_l("mã cơ quan (agency)"), metadata={"description": "Default: the caller's agency"})

    @validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError(str(_l("Ngày kết thúc phải không sớm hơn ngày bắt đầu.")), "to")


class RowSchema(Schema):
    field = fields.String(metadata={"description": "(2) the field, or 'Tổng số' for the total"})
    received = fields.Integer(metadata={"description": "(3) = (4) + (5) + (6)"})
    online = fields.Integer(metadata={"description": "(4) received online in the period"})
    direct = fields.Integer(metadata={"description": "(5) received at the desk or by post in the period"})
    carried_over = fields.Integer(metadata={"description": "(6) carried over from the previous period"})
    resolved = fields.Integer(metadata={"description": "(7) = (8) + (9) + (10)"})
    early = fields.Integer(metadata={"description": "(8)"})
    on_time = fields.Integer(metadata={"description": "(9)"})
    late = fields.Integer(metadata={"description": "(10)"})
    in_progress = fields.Integer(metadata={"description": "(11) = (12) + (13), at the period's end"})
    within_deadline = fields.Integer(metadata={"description": "(12)"})
    overdue = fields.Integer(metadata={"description": "(13)"})


class TableSchema(Schema):
    agency = fields.Nested(AgencyRef)
    rows = fields.List(fields.Nested(RowSchema))
    total = fields.Nested(RowSchema)


class StatsSchema(TableSchema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    units = fields.List(fields.Nested(TableSchema), metadata={"description": "Each agency, for a parent agency"})


@bp.get("/stats/tthc")
@auth.allow(*REPORTERS)
@bp.arguments(StatsQuery(), location="query")
@bp.response(200, StatsSchema)
@bp.alt_response(404, response="NOT_FOUND")
def tthc_stats(query):
    """The statistics form of the caller's agency (or an agency under it), summed, with each child agency."""
    agency = _agency(query.get("agency"))
    report = statistics.tthc_report(agency, periods.date_range(query["from_"], query["to"]), clock.today())
    period = report.summary.period
    return {**_table(report.summary), "from_": period.start, "to": period.end,
            "units": [_table(unit) for unit in report.units]}


def _table(table: statistics.Table) -> dict:
    return {"agency": {"code": table.agency_code, "name": table.agency_name}, "rows": table.rows,
            "total": table.total}


def _agency(code: str | None) -> Agency:
    own = auth.current().agency
    if not code or code == own.code:
        return own
    found = next((agency for agency in statistics.descendants(own) if agency.code == code), None)
    if found is None:
        raise ApiError(404, _("Không có cơ quan %(code)s trong phạm vi của bạn.", code=code))
    return found
