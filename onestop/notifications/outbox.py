"""The citizen's consent and the messages each step of a dossier puts in the outbox.

Nothing here reaches the network: a step writes its messages in the same transaction as its event,
and `flask notifications send` delivers them later (sender.py). Functions never commit.
"""
from datetime import datetime
from urllib.parse import quote

import sqlalchemy as sa
from flask import current_app

from .. import codes, settings
from ..errors import WorkflowError
from ..extensions import db
from ..formatting import vn_datetime
from ..models import Dossier, Event
from . import messages, providers
from .models import Channel, MessageStatus, NotificationConsent, OutboxMessage

# The steps the citizen hears about, and the message each one sends (issue 19).
EVENT_KINDS = {
    "receive": "received", "request_supplement": "supplement", "resume": "resumed", "mark_ready": "result_ready",
    "apologize": "apology", "refuse": "refused", "stop": "stopped", "return_result": "returned",
}
CHANNEL_LABELS = {Channel.SMS: "SMS", Channel.ZALO: "Zalo", Channel.EMAIL: "Thư điện tử"}


def parse_channels(names) -> list[Channel]:
    """The channels named in a form or an API request; an unknown name is refused."""
    chosen = []
    for name in names or []:
        try:
            channel = Channel(str(name).strip().lower())
        except ValueError:
            raise WorkflowError(f"Kênh nhận thông báo không hợp lệ: “{str(name)[:20]}” "
                                "(chọn trong: sms, zalo, email).", field="notify") from None
        if channel not in chosen:
            chosen.append(channel)
    return chosen


def record_consent(dossier: Dossier, names, *, now: datetime) -> NotificationConsent | None:
    """Keep the channels the citizen agreed to at intake and queue the receipt's message on each."""
    # Messages use the citizen's phone and e-mail for a purpose beyond the procedure itself, so only with
    # their consent, which they may withdraw (Decree 13/2023/NĐ-CP, Art. 9 cl. 2 and 4; the Personal Data
    # Protection Law 91/2025/QH15 keeps both rights from 2026).
    chosen = parse_channels(names)
    if not chosen:
        return None
    offered = providers.channels_on(current_app.config)
    for channel in chosen:
        if channel not in offered:
            raise WorkflowError(f"Kênh {CHANNEL_LABELS[channel]} chưa được cấu hình nên không thể đăng ký nhận "
                                "thông báo qua kênh này.", field="notify")
        if not _recipient(dossier, channel):
            need = "thư điện tử" if channel == Channel.EMAIL else "số điện thoại"
            raise WorkflowError(f"Cần {need} của người nộp để gửi thông báo qua {CHANNEL_LABELS[channel]}.",
                                field="notify")
    consent = NotificationConsent(dossier=dossier, channels=[str(channel) for channel in chosen], given_at=now)
    db.session.add(consent)
    receipt = next((event for event in dossier.events if event.action == "receive"), None)
    _enqueue(dossier, consent, "received", receipt, now)
    return consent


def consent_of(dossier: Dossier) -> NotificationConsent | None:
    """The citizen's consent for this dossier, if any was given."""
    return db.session.get(NotificationConsent, dossier.id) if dossier.id is not None else None


def withdraw_consent(dossier: Dossier, *, now: datetime) -> bool:
    """The citizen stops the messages (from the lookup page); what is still waiting is not sent."""
    consent = consent_of(dossier)
    if consent is None or not consent.active:
        return False
    consent.withdrawn_at = now
    db.session.execute(sa.update(OutboxMessage)
                       .where(OutboxMessage.dossier_id == dossier.id, OutboxMessage.status == MessageStatus.PENDING)
                       .values(status=MessageStatus.CANCELLED, answer="Công dân đã ngừng nhận thông báo"))
    return True


def on_event(event: Event) -> None:
    """Queue the citizen's messages for a step they hear about (history.record calls this for every event)."""
    kind = EVENT_KINDS.get(event.action)
    if kind is None or kind == "received":  # the receipt's message is queued with the consent
        return
    consent = consent_of(event.dossier)
    if consent is not None and consent.active:
        _enqueue(event.dossier, consent, kind, event, event.at)


def _enqueue(dossier: Dossier, consent: NotificationConsent, kind: str, event: Event | None, now: datetime) -> None:
    words = messages.render(kind, values_for(dossier, event))
    for channel in map(Channel, consent.channels):
        recipient = _recipient(dossier, channel)
        if not recipient:
            continue
        body = words.text if channel == Channel.EMAIL else words.sms
        db.session.add(OutboxMessage(
            dossier=dossier, kind=kind, channel=channel, recipient=recipient, body=body,
            subject=words.subject if channel == Channel.EMAIL else "",
            html=words.html if channel == Channel.EMAIL else "",
            data=words.zalo if channel == Channel.ZALO else {}, created_at=now, next_attempt_at=now))


def values_for(dossier: Dossier, event: Event | None) -> dict:
    """What a citizen's message may say: code, link, agency, dates, reasons. Never an ID number or name."""
    data = (event.data if event is not None else None) or {}
    old = data.get("old_promised_at")
    return {
        "code": dossier.code, "link": lookup_link(dossier.code), "agency": dossier.agency.name,
        "date": vn_datetime(dossier.promised_at), "old_date": vn_datetime(datetime.fromisoformat(old)) if old else "",
        "reason": data.get("reason", ""), "items": "\n".join(f"- {item}" for item in data.get("items", [])),
        "result_delivery": dossier.result_delivery,
    }


def lookup_link(code: str) -> str:
    """The receipt's QR address with its token (DESIGN.md §5), built without a request."""
    base = settings.get("public_base_url").rstrip("/")
    return f"{base}/tra-cuu/{quote(code)}?t={codes.lookup_token(code, current_app.config['SECRET_KEY'])}"


def _recipient(dossier: Dossier, channel: Channel) -> str:
    if channel == Channel.EMAIL:
        return dossier.applicant_email.strip()
    phone = dossier.applicant_phone.strip()
    # Zalo ZNS wants the international form without "+": 0912345678 -> 84912345678.
    return f"84{phone[1:]}" if channel == Channel.ZALO and phone.startswith("0") else phone


def consent_state(code: str) -> str | None:
    """For the lookup page: 'active' (offer to stop), 'withdrawn' (say so) or None (nothing was agreed)."""
    consent = db.session.scalar(sa.select(NotificationConsent).join(NotificationConsent.dossier)
                                .where(Dossier.code == code))
    if consent is None or not consent.channels:
        return None
    return "active" if consent.active else "withdrawn"
