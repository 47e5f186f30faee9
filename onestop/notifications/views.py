"""The outbox page for administrators: what waits, what went, what failed and what the provider said."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock, paging
from ..access import require_role
from ..extensions import db
from ..models import Dossier
from .models import MessageStatus, OutboxMessage

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
bp.before_request(require_role("admin"))

SHOWN = (MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.CANCELLED)


def _of_agency():
    return (sa.select(OutboxMessage).join(OutboxMessage.dossier)
            .where(Dossier.agency_id == current_user.agency_id))


@bp.get("/outbox")
def outbox():
    """The agency's messages by status, newest first, 50 a page."""
    status = request.args.get("status", "")
    query = _of_agency()
    if status in {str(value) for value in MessageStatus}:
        query = query.where(OutboxMessage.status == status)
    counts = dict(db.session.execute(_of_agency().with_only_columns(OutboxMessage.status, sa.func.count())
                                     .group_by(OutboxMessage.status)).all())
    page = db.paginate(query.order_by(OutboxMessage.id.desc()), page=paging.requested_page(),
                       per_page=50, error_out=False)
    return render_template("notifications/outbox.html", page=page, status=status, counts=counts, shown=SHOWN)


@bp.post("/outbox/<int:message_id>/retry")
def retry(message_id):
    """Put a failed message back in the queue for the next cycle."""
    message = db.session.scalar(_of_agency().where(OutboxMessage.id == message_id))
    if message is None:
        abort(404)
    if message.status == MessageStatus.FAILED:
        message.status, message.attempts, message.next_attempt_at = MessageStatus.PENDING, 0, clock.now()
        db.session.commit()
        flash(_("Tin nhắn sẽ được gửi lại ở lượt gửi tới."), "success")
    return redirect(url_for("notifications.outbox", status=request.args.get("status", "")))
