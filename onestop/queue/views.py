"""/queue: the kiosk's ticket (anonymous), the phone page, the spoken call, the desk's calling panel and the admin page."""
import sqlalchemy as sa
from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock, codes, settings
from ..access import require_role
from ..collation import vietnamese
from ..errors import WorkflowError
from ..extensions import db, limiter
from ..models import Agency, Field
from . import speech, tickets
from .forms import ActionForm, CounterForm, ServiceForm, TakeForm
from .models import QueueCounter, QueueTicket

# Staff pages under /queue; the anonymous ones (functions named public_*) sit under the kiosk's address, or
# /queue/<agency>/… for the phone and the lobby screen's audio.
bp = Blueprint("queue", __name__)
# Taking a ticket is a public write: the budget of the other public endpoints, per address, shared by the
# kiosk's button and the API (api.py), so a script cannot empty the day's numbers through either.
ticket_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], scope="queue-ticket",
                                    exempt_when=lambda: request.method != "POST")
screen_limit = limiter.limit(lambda: current_app.config.get("DISPLAY_RATE_LIMIT", "240 per minute"))
SESSION_COUNTER = "queue_counter"
SESSION_TICKET = "queue_ticket"  # the ticket "Tiếp nhận" opened the intake form for


def _agency_or_404(code: str) -> Agency:
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == code, Agency.external.is_(False)))
    if agency is None:
        abort(404)
    g.kiosk_agency_code = agency.code  # the kiosk's frame links back to its home
    return agency


def _kiosk_frame(agency: Agency) -> dict:
    idle = current_app.config.get("KIOSK_IDLE_SECONDS") or settings.get("kiosk_idle_seconds")
    return {"agency": agency, "idle_seconds": int(idle), "enrolled": False}


# --- kiosk and phone: anonymous ---------------------------------------------------------------------------

@bp.route("/kiosk/<agency_code>/queue", methods=["GET", "POST"])
@ticket_limit
def public_take(agency_code):
    """Pick a line; the ticket is shown on screen and printed (the number stays on screen if printing fails)."""
    agency = _agency_or_404(agency_code)
    form = TakeForm()
    if form.validate_on_submit():
        service = tickets.service_by_letter(agency, form.service.data)
        if service is None:
            flash(_("Không có dịch vụ này."), "error")
        else:
            ticket = tickets.take(service, clock.now())
            db.session.commit()
            return redirect(url_for("queue.public_ticket", agency_code=agency.code, token=ticket.token, print=1))
    lines = tickets.services(agency)
    return render_template("queue/take.html", form=form, lines=lines,
                           waiting=tickets.waiting_counts(agency, clock.today()), **_kiosk_frame(agency))


def _ticket_or_404(agency: Agency, token: str) -> QueueTicket:
    ticket = db.session.scalar(sa.select(QueueTicket).where(QueueTicket.token == token[:40],
                                                            QueueTicket.agency_id == agency.id))
    if ticket is None:
        abort(404)
    return ticket


@bp.get("/kiosk/<agency_code>/queue/<token>")
def public_ticket(agency_code, token):
    """The ticket on the kiosk's screen, laid out for the 80 mm receipt printer."""
    agency = _agency_or_404(agency_code)
    found = _ticket_or_404(agency, token)
    follow = url_for("queue.public_follow", agency_code=agency.code, token=found.token, _external=True)
    return render_template("queue/ticket.html", ticket=found, ahead=tickets.ahead(found), qr=codes.qr_svg(follow),
                           follow_url=follow, autoprint=request.args.get("print") == "1", **_kiosk_frame(agency))


@bp.get("/queue/<agency_code>/t/<token>")
@screen_limit
def public_follow(agency_code, token):
    """The phone page of the ticket's QR: the number being served and how many are ahead, refreshed."""
    agency = _agency_or_404(agency_code)
    found = _ticket_or_404(agency, token)
    return render_template("queue/follow.html", agency=agency, ticket=found, ahead=tickets.ahead(found),
                           serving=tickets.serving(found.service, found.day))


@bp.get("/queue/<agency_code>/speech/<number>-<int:counter>.wav")
@screen_limit
def public_spoken(agency_code, number, counter):
    """The call said aloud, for the lobby screen's <audio>; only for a call that was made today."""
    agency = _agency_or_404(agency_code)
    made = db.session.scalar(sa.select(QueueTicket.id).where(
        QueueTicket.agency_id == agency.id, QueueTicket.day == clock.today(), QueueTicket.number == number[:8],
        QueueTicket.counter_number == counter))
    if made is None:
        abort(404)
    try:
        path = speech.wav(number, counter)
    except speech.SpeechUnavailable:
        abort(503)
    return send_file(path, mimetype="audio/wav", max_age=86400)


# --- desk: clerks -------------------------------------------------------------------------------------------

def _staff():
    return require_role("clerk", "officer", "leader")()


def _counter() -> QueueCounter | None:
    number = session.get(SESSION_COUNTER)
    return tickets.counter_by_number(current_user.agency, number) if number else None


@bp.get("/queue/desk")
def desk():
    """The counter's waiting lines, the ticket being served and the calling buttons."""
    if (refused := _staff()) is not None:
        return refused
    agency, counter = current_user.agency, _counter()
    today = clock.today()
    return render_template("queue/desk.html", counters=tickets.counters_of(agency), counter=counter,
                           lines=tickets.services(agency), waiting=tickets.waiting_counts(agency, today),
                           current=tickets.current_at(counter, today) if counter else None, form=ActionForm())


@bp.post("/queue/desk/<action>")
def desk_action(action):
    """Choose the counter, call the next, call again, mark a no-show, or open the intake form for the ticket."""
    if (refused := _staff()) is not None:
        return refused
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    agency, now = current_user.agency, clock.now()
    if action == "counter":
        counter = tickets.counter_by_number(agency, form.counter.data)
        if counter is None:
            flash(_("Không có quầy này."), "error")
        else:
            session[SESSION_COUNTER] = counter.number
        return redirect(url_for("queue.desk"))
    counter = _counter()
    if counter is None:
        flash(_("Chọn quầy của bạn trước."), "error")
        return redirect(url_for("queue.desk"))
    current = tickets.current_at(counter, clock.today())
    try:
        if action == "call":
            called = tickets.call_next(counter, now)
            flash(_("Đã gọi số %(number)s.", number=called.number), "success")
        elif action in ("recall", "skip", "intake") and current is None:
            raise WorkflowError(_("Quầy chưa gọi số nào."))
        elif action == "recall":
            tickets.recall(current, now)
        elif action == "skip":
            tickets.skip(current, now)
        elif action == "intake":
            session[SESSION_TICKET] = current.id
            return redirect(url_for("desk.receive"))
        else:
            abort(404)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("queue.desk"))


def link_intake(dossier) -> None:
    """Called by the intake form once it saved a dossier: the ticket "Tiếp nhận" opened it for becomes that dossier."""
    ticket_id = session.pop(SESSION_TICKET, None)
    if ticket_id is not None and (found := db.session.get(QueueTicket, ticket_id)) is not None:
        tickets.link(found, dossier)


# --- admin: services and counters ----------------------------------------------------------------------------

@bp.route("/queue/admin", methods=["GET", "POST"])
def admin():
    """The agency's lines (letter, name, procedure fields) and counters (number, name, lines served)."""
    if (refused := require_role("admin")()) is not None:
        return refused
    agency = current_user.agency
    service_form, counter_form = ServiceForm(prefix="service"), CounterForm(prefix="counter")
    service_form.fields.choices = [(field.id, field.name) for field in
                                   db.session.scalars(sa.select(Field).order_by(vietnamese(Field.name)))]  # Dân tộc, Đất đai, Giáo dục
    counter_form.letters.choices = [(line.letter, f"{line.letter} – {line.name}") for line in tickets.services(agency)]
    if request.method == "POST":
        if "service-letter" in request.form and service_form.validate():
            line = tickets.save_service(agency, service_form.letter.data, service_form.name.data,
                                        service_form.fields.data)
            return _saved(_("Đã lưu dịch vụ %(letter)s.", letter=line.letter))
        if "counter-number" in request.form and counter_form.validate():
            counter = tickets.save_counter(agency, counter_form.number.data, counter_form.name.data,
                                           counter_form.letters.data)
            return _saved(_("Đã lưu quầy số %(number)s.", number=counter.number))
        flash(_("Chưa lưu: kiểm tra các ô báo lỗi."), "error")
    fields = {field.id: field.name for field in db.session.scalars(sa.select(Field))}
    return render_template("queue/admin.html", lines=tickets.services(agency), counters=tickets.counters_of(agency),
                           fields=fields, service_form=service_form, counter_form=counter_form)


def _saved(message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("queue.admin"))


@bp.app_template_global()
def queue_figures(agency, period) -> list[tickets.LineFigures]:
    """The reports page's queue block: per line and day of the period."""
    return tickets.figures(agency, period.start, period.end)
