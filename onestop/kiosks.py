"""Enrolled kiosks (issue 16): an admin enrols a lobby screen with a one-time link, and can revoke it.

Dossier codes follow each other day by day, so a screen anyone can open must not show more than
status and dates for a typed code, nor take a survey without the receipt's token. An enrolled kiosk
stands in the agency's own lobby: it shows what the receipt's token would, and takes surveys.
"""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from .errors import WorkflowError
from .extensions import db
from .models import Agency, Kiosk, User

LINK_DAYS = 7  # an enrolment link nobody opened stops working after this
_SALT = "onestop.kiosk"  # keeps the cookie's signature apart from anything else signed with the key


def enrol(agency: Agency, name: str, by: User | None, now: datetime) -> tuple[Kiosk, str]:
    """A new kiosk of the agency and the one-time key of its link (shown once; only its hash is kept)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise WorkflowError(_("Cần đặt tên cho kiosk (tối đa 100 ký tự), ví dụ «Kiosk sảnh tầng 1»."), field="name")
    if agency.external:
        raise WorkflowError(_("Cơ quan ngoài hệ thống không có kiosk."), field="agency")
    key = secrets.token_urlsafe(32)
    kiosk = Kiosk(agency=agency, name=name, enrol_key_hash=_hash(key), created_by=by, created_at=now)
    db.session.add(kiosk)
    db.session.flush()
    return kiosk, key


def redeem(agency: Agency, key: str, now: datetime) -> Kiosk | None:
    """The kiosk whose link this is, now enrolled with a fresh cookie nonce; None for a wrong, used or old key."""
    if not key:
        return None
    kiosk = db.session.scalar(sa.select(Kiosk).where(Kiosk.enrol_key_hash == _hash(key),
                                                     Kiosk.agency_id == agency.id, Kiosk.revoked_at.is_(None)))
    if kiosk is None or now - kiosk.created_at > timedelta(days=LINK_DAYS):
        return None
    kiosk.enrol_key_hash, kiosk.enrolled_at, kiosk.cookie_nonce = None, now, secrets.token_hex(16)
    return kiosk


def revoke(kiosk: Kiosk, now: datetime) -> Kiosk:
    """Stop the kiosk at once: its cookie and any unused link no longer work."""
    kiosk.revoked_at, kiosk.enrol_key_hash = kiosk.revoked_at or now, None
    return kiosk


def of_agencies(agencies: list[Agency]) -> list[Kiosk]:
    """The kiosks of these agencies, newest first."""
    ids = [agency.id for agency in agencies]
    return list(db.session.scalars(sa.select(Kiosk).where(Kiosk.agency_id.in_(ids)).order_by(Kiosk.id.desc())))


def cookie_value(kiosk: Kiosk, secret_key: str) -> str:
    """What the kiosk's cookie holds: its record and nonce, signed with the app's key."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps([kiosk.id, kiosk.cookie_nonce])


def from_cookie(value: str | None, secret_key: str, agency: Agency) -> Kiosk | None:
    """The enrolled, unrevoked kiosk of this agency the cookie names; None for anything else."""
    if not value:
        return None
    try:
        kiosk_id, nonce = URLSafeSerializer(secret_key, salt=_SALT).loads(value)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(kiosk_id, int) or not isinstance(nonce, str):
        return None
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None or not kiosk.active or kiosk.agency_id != agency.id:
        return None
    return kiosk if hmac.compare_digest(kiosk.cookie_nonce.encode(), nonce.encode()) else None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
