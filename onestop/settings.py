"""Installation settings with their defaults (DESIGN.md §2): read anywhere, written by admins."""
import sqlalchemy as sa

from .extensions import db
from .models import Setting

DEFAULTS = {
    "sessions": [["07:00", "11:30"], ["13:30", "17:00"]],
    "same_day_cutoff": "15:00",
    "place_name": "Quảng Thọ",
    # Printed above the commune on the 2018-regime forms only: districts were abolished on 01/07/2025.
    "parent_body": "UBND HUYỆN QUẢNG ĐIỀN",
    # The first day of the 2025 regime (Circular 03/2025/TT-VPCP's forms apply from 15/09/2025; regimes.py).
    "regime_switch_date": "2025-09-15",
    "report_recipient": "",  # blank: the agency's province (a commune's parent since 01/07/2025)
    "leader_name": "",
    "leader_title": "CHỦ TỊCH",
    "contact_phone": "",
    "public_base_url": "http://127.0.0.1:5000",
    "kiosk_idle_seconds": 90,
    "print_label_at_intake": False,
    "display_poll_seconds": 4,
    "report_number": 0,
    "api_token_days": 180,  # how long a new API token works (issue 16)
    # Retention (Law 91/2025/QH15, Art. 14(1)(c)): years a closed dossier keeps its applicant's details, and
    # years the privacy log keeps a row; `flask privacy purge` applies them. The province sets its rule.
    "personal_data_years": 10,
    "privacy_log_years": 2,
}


def get(key: str):
    """The stored value of a setting, or its default."""
    value = db.session.scalar(sa.select(Setting.value).where(Setting.key == key))
    return DEFAULTS.get(key) if value is None else value


def get_all() -> dict:
    """Every setting, defaults filled in."""
    stored = dict(db.session.execute(sa.select(Setting.key, Setting.value)).all())
    return {**DEFAULTS, **{key: value for key, value in stored.items() if value is not None}}


def put(key: str, value) -> None:
    """Store a setting (the caller commits)."""
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
