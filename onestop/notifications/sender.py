"""Delivering the outbox: claim what is due, send it outside any transaction, record the answer.

Two senders never send the same message: a claim marks the rows as `sending` by one sender in a
short transaction of its own, under `FOR UPDATE SKIP LOCKED` on PostgreSQL and under SQLite's
write lock (every CLI transaction begins IMMEDIATE, database.py). A sender that dies leaves its
claim to expire (`claimed_until`), and the message is tried again.
"""
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from .models import MessageStatus, OutboxMessage
from .providers import DeliveryError, Outgoing, configured

LEASE = timedelta(minutes=5)  # far longer than one batch of sends with their timeouts


@dataclass
class Report:
    """What one cycle did, for the command's output."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    reminders: int = 0


def worker_name() -> str:
    """This sender, as written in the rows it claims."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def claim(now: datetime, worker: str, batch: int) -> list[Outgoing]:
    """Mark up to `batch` due messages as this sender's and commit; answer plain copies to send."""
    due = (sa.select(OutboxMessage.id)
           .where(sa.or_(sa.and_(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= now),
                         sa.and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_until < now)))
           .order_by(OutboxMessage.id).limit(batch))
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)  # a row another sender is claiming is left to it
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id.in_(due.scalar_subquery()))
                       .values(status=MessageStatus.SENDING, claimed_by=worker, claimed_until=now + LEASE)
                       .execution_options(synchronize_session=False))
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.claimed_by == worker,
                                                            OutboxMessage.status == MessageStatus.SENDING)
                              .order_by(OutboxMessage.id)).all()
    claimed = [Outgoing(id=row.id, channel=row.channel, recipient=row.recipient, subject=row.subject,
                        body=row.body, html=row.html, data=dict(row.data or {})) for row in rows]
    db.session.commit()  # end the transaction before any network call
    return claimed


def send_pending(now: datetime, *, worker: str | None = None, batch: int | None = None) -> Report:
    """Send every message due now, once; a failure waits for its next try, or fails after the last."""
    worker, report = worker or worker_name(), Report()
    batch = batch or current_app.config["NOTIFICATIONS_BATCH"]
    active = configured(current_app.config)
    while True:
        claimed = claim(now, worker, batch)
        for message in claimed:
            provider = active.get(message.channel)
            try:
                if provider is None:
                    raise DeliveryError(f"Kênh {message.channel} chưa được cấu hình.")
                answer = provider.send(message)
            except DeliveryError as error:
                _record_failure(message.id, worker, str(error), now, report)
            except Exception as error:  # noqa: BLE001 (one message a provider chokes on must not stop the rest)
                _record_failure(message.id, worker, f"{type(error).__name__}: {error}", now, report)
            else:
                _record(message.id, worker, status=MessageStatus.SENT, sent_at=now, answer=answer[:2000])
                report.sent += 1
        if len(claimed) < batch:
            return report


def _record_failure(message_id: int, worker: str, answer: str, now: datetime, report: Report) -> None:
    attempts = db.session.scalar(sa.select(OutboxMessage.attempts).where(OutboxMessage.id == message_id)) + 1
    if attempts >= current_app.config["NOTIFICATIONS_MAX_ATTEMPTS"]:
        _record(message_id, worker, status=MessageStatus.FAILED, attempts=attempts, answer=answer[:2000])
        report.failed += 1
        return
    # Back off: 1, 2, 4, 8 … times the base delay after each failed try.
    delay = timedelta(seconds=current_app.config["NOTIFICATIONS_RETRY_SECONDS"] * 2 ** (attempts - 1))
    _record(message_id, worker, status=MessageStatus.PENDING, attempts=attempts, next_attempt_at=now + delay,
            answer=answer[:2000])
    report.retried += 1


def _record(message_id: int, worker: str, **values) -> None:
    # Only while the claim is still ours: a sender whose lease ran out does not overwrite the next one's work.
    db.session.execute(sa.update(OutboxMessage)
                       .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker,
                              OutboxMessage.status == MessageStatus.SENDING)
                       .values(claimed_until=None, **values).execution_options(synchronize_session=False))
    db.session.commit()
