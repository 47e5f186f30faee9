"""How dates, times and durations look on every page: dd/mm/yyyy in Asia/Ho_Chi_Minh."""
import re
from datetime import date, datetime, timedelta

from .clock import local
from .text import N_


def vn_date(value) -> str:
    """05/03/2026."""
    if value is None:
        return ""
    return (local(value) if isinstance(value, datetime) else value).strftime("%d/%m/%Y")


def vn_datetime(value) -> str:
    """09:30 05/03/2026, the way receipts write a moment."""
    return "" if value is None else local(value).strftime("%H:%M %d/%m/%Y")


def vn_time(value) -> str:
    """09:30."""
    return "" if value is None else local(value).strftime("%H:%M")


def working_duration(value: timedelta | None, day_length: timedelta = timedelta(hours=8)) -> str:
    """'2 ngày 3 giờ 15 phút' of working time (a working day is the sessions' length)."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, int(day_length.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} ngày" if days else "", f"{hours} giờ" if hours else "", f"{minutes} phút" if minutes else ""]
    return " ".join(part for part in parts if part) or "0 phút"


def vn_money(value: int) -> str:
    """12.000 đ."""
    return f"{value:,}".replace(",", ".") + " đ"


def parse_user_date(text: str) -> date:
    """A date typed as dd/mm/yyyy or yyyy-mm-dd (DESIGN.md §7); ValueError otherwise."""
    text = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"Ngày không hợp lệ: {text!r} (cần dd/mm/yyyy hoặc yyyy-mm-dd)")


def _next_year_unconfirmed():
    # For the admins' and leaders' home pages: from 1 October, next year's unconfirmed Tết.
    from . import calendars, clock

    return calendars.next_year_unconfirmed(clock.today())


# The titles periods.py writes (official reports keep them); a screen in English reads them translated.
_PERIOD_TITLES = (
    (r"Tháng (?P<n>\d{2}/\d{4})(?P<cal> \(dương lịch\))?", N_("Tháng %(n)s")),
    (r"Quý (?P<n>[IV]+/\d{4})(?P<cal> \(dương lịch\))?", N_("Quý %(n)s")),
    (r"Năm (?P<n>\d{4})(?P<cal> \(dương lịch\))?", N_("Năm %(n)s")),
    (r"(?P<m>\d+) tháng năm (?P<n>\d{4})(?P<cal>)", N_("%(m)s tháng năm %(n)s")),
)


def period_label(period) -> str:
    """The period's name and dates in the page's language (the printed report keeps its Vietnamese label)."""
    from flask_babel import gettext

    title = period.title
    for pattern, msgid in _PERIOD_TITLES:
        match = re.fullmatch(pattern, title)
        if match:
            parts = match.groupdict()
            title = gettext(msgid, **{key: value for key, value in parts.items() if key in ("m", "n")})
            title += gettext(" (dương lịch)") if parts.get("cal") else ""
            break
    return gettext("%(title)s (từ %(start)s đến %(end)s)", title=title, start=vn_date(period.start),
                   end=vn_date(period.end))


def _label(labels: dict, key, default) -> str:
    from flask_babel import gettext

    return gettext(labels[key]) if key in labels else default


def init_app(app):
    from . import clock, regimes
    from .desk.forms import DOCUMENT_KINDS
    from .history import ACTION_LABELS
    from .models import STATUS_LABELS, TIMELINESS_LABELS

    for function in (vn_date, vn_datetime, vn_time, working_duration, vn_money, period_label):
        app.add_template_filter(function)
    app.add_template_global(clock.now, "clock_now")
    app.add_template_global(_next_year_unconfirmed, "next_year_unconfirmed")
    app.add_template_global(regimes.stop_form, "regime_stop_form")
    # Labels in the language of the page (a printed form renders in Vietnamese: i18n.printed_in_vietnamese).
    app.add_template_global(lambda action: _label(ACTION_LABELS, action, action), "action_label")
    app.add_template_global(lambda kind: _label(DOCUMENT_KINDS, kind, kind), "document_kind")
    app.add_template_global(lambda value: _label(TIMELINESS_LABELS, value, ""), "timeliness_label")
    app.add_template_global(lambda status: _label(STATUS_LABELS, status, status), "status_label")
