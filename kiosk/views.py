"""The kiosk's screens: lookup by scan or keypad, the procedure guide, the survey and general comments."""
import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from onestop import clock, codes, kiosks, lookups, settings, surveys
from onestop.errors import WorkflowError
from onestop.extensions import db, limiter
from onestop.models import Agency

from . import enrolment, guide
from .forms import CRITERIA, CommentForm, SurveyForm

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk/<agency_code>")
WEEKDAYS = (_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"), _l("Thứ Bảy"), _l("Chủ nhật"))
# One budget per client for every screen that finds a dossier by its code; typing alone costs nothing.
lookup_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], scope="kiosk-lookup",
                                    exempt_when=lambda: not _asks_for_a_dossier())
write_limit = limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], methods=["POST"])
# The same budget counted per enrolled kiosk as well (issue 16): several screens behind one proxy
# address keep their own, and a kiosk's budget does not grow with the addresses it is reached from.
device_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], scope="kiosk-device",
                                    key_func=lambda: f"kiosk:{_kiosk().id}",
                                    exempt_when=lambda: _kiosk() is None or not _asks_for_a_dossier())


def _asks_for_a_dossier() -> bool:
    return bool(request.view_args.get("code") or request.args.get("code", "").strip())


@bp.url_value_preprocessor
def _take_agency_code(endpoint, values):
    g.kiosk_agency_code = values.pop("agency_code")


@bp.url_defaults
def _give_agency_code(endpoint, values):
    if "kiosk_agency_code" in g:
        values.setdefault("agency_code", g.kiosk_agency_code)


def _agency() -> Agency | None:
    """The kiosk's agency, from its address (also for error screens raised before the view)."""
    if "agency" not in g:
        g.agency = db.session.scalar(sa.select(Agency).where(Agency.code == g.get("kiosk_agency_code"),
                                                             Agency.external.is_(False)))
    return g.agency


def _kiosk():
    """The enrolled kiosk this browser is, or None."""
    return enrolment.current(_agency())


def _token() -> str:
    return request.args.get("t", "")[:100]


def _opens(dossier) -> bool:
    """An enrolled kiosk shows everything public; any other screen only with the receipt's token (issue 16)."""
    return _kiosk() is not None or lookups.token_opens_details(dossier, _token())


def _carried_token(dossier) -> str | None:
    """The receipt's token to carry on to the survey, on a screen that needs it."""
    return _token() if _kiosk() is None and lookups.token_opens_details(dossier, _token()) else None


@bp.before_request
def _require_agency():
    if _agency() is None:
        abort(404)


@bp.after_request
def _renew_enrolment(response):
    if g.get("kiosk") is not None:
        enrolment.remember(response, g.kiosk)
    elif enrolment.COOKIE in request.cookies and g.get("agency") is not None and "kiosk" in g:
        enrolment.forget(response, g.agency)
    return response


@bp.context_processor
def _screen():
    idle = current_app.config.get("KIOSK_IDLE_SECONDS") or settings.get("kiosk_idle_seconds")
    return {"agency": _agency(), "idle_seconds": int(idle), "enrolled": _kiosk() is not None,
            "weekday": lambda moment: str(WEEKDAYS[clock.local(moment).weekday()])}


@bp.get("/")
def home():
    """The welcome screen: lookup, procedure guide, survey, comments."""
    return render_template("kiosk/home.html")


@bp.get("/enroll")
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])
def enroll():
    """Open once on the kiosk itself: the admin's one-time link makes this browser that kiosk."""
    kiosk = kiosks.redeem(g.agency, request.args.get("k", ""), clock.now())
    if kiosk is None:
        return render_template("kiosk/message.html", title=_("Liên kết không dùng được"), message=_(
            "Liên kết đăng ký kiosk này sai, đã được dùng, đã quá hạn hoặc kiosk đã bị thu hồi. "
            "Mời quản trị viên tạo liên kết mới.")), 403
    db.session.commit()
    g.kiosk = kiosk  # the after_request hook sets the cookie
    return render_template("kiosk/message.html", title=_("Đã đăng ký kiosk"), message=_(
        "Máy này là kiosk «%(name)s» của %(agency)s.", name=kiosk.name, agency=g.agency.name))


@bp.get("/lookup")
@lookup_limit
@device_limit
def lookup():
    """The keypad; with a typed or scanned code, where that dossier is now (details on an enrolled kiosk)."""
    text = request.args.get("code", "").strip()
    if not text:
        return render_template("kiosk/lookup.html", purpose="lookup")
    dossier = lookups.find(text, agency=g.agency, where="kiosk")
    if dossier is None:
        return render_template("kiosk/lookup.html", purpose="lookup", code=text[:80], unknown=True), 404
    return render_template("kiosk/result.html", view=lookups.public_view(dossier, full=_opens(dossier)),
                           token=_carried_token(dossier))


@bp.get("/survey")
@lookup_limit
@device_limit
def survey_start():
    """The keypad for the survey; with a code, on to that dossier's survey."""
    text = request.args.get("code", "").strip()
    if not text:
        return render_template("kiosk/lookup.html", purpose="survey")
    dossier = lookups.find(text, agency=g.agency, where="kiosk-survey")
    if dossier is None:
        return render_template("kiosk/lookup.html", purpose="survey", code=text[:80], unknown=True), 404
    if not _opens(dossier):
        return _needs_token()
    return redirect(url_for(".survey", code=dossier.code, t=_carried_token(dossier)))


def _needs_token():
    return render_template("kiosk/message.html", title=_("Cần mã QR trên giấy biên nhận"), message=_(
        "Để đánh giá, mời ông/bà quét mã QR in trên giấy biên nhận hồ sơ, hoặc đánh giá tại kiosk "
        "của Bộ phận Một cửa.")), 403


@bp.route("/survey/<code>", methods=["GET", "POST"])
@lookup_limit
@device_limit
def survey(code):
    """The satisfaction survey of one dossier; refused kindly when not ready or already answered."""
    dossier = lookups.find(code, agency=g.agency, where="kiosk-survey") or abort(404)
    if not _opens(dossier):
        return _needs_token()
    form, refused = SurveyForm(), surveys.refusal(dossier)
    if not refused and form.validate_on_submit():
        try:
            surveys.submit(dossier, form.overall.data, form.answers(), form.full_comment(), "kiosk", clock.now(),
                           kiosk=_kiosk())
        except WorkflowError as error:
            refused = str(error)
        else:
            db.session.commit()
            return redirect(url_for(".thanks", kind="survey"))
    page = render_template("kiosk/survey.html", form=form, view=lookups.public_view(dossier, full=True),
                           refused=refused, criteria=CRITERIA, token=_carried_token(dossier))
    return page, 409 if refused and form.is_submitted() else 200


@bp.route("/comment", methods=["GET", "POST"])
@write_limit
def comment():
    """A general comment for the agency, not about any one dossier."""
    form = CommentForm()
    if form.validate_on_submit():
        try:
            surveys.add_comment(g.agency, form.text.data, form.contact.data, clock.now())
        except WorkflowError as error:
            form.text.errors = [*form.text.errors, str(error)]
        else:
            db.session.commit()
            return redirect(url_for(".thanks", kind="comment"))
    return render_template("kiosk/comment.html", form=form)


@bp.get("/thanks")
def thanks():
    """Thank the citizen; the idle timer brings the home screen back."""
    return render_template("kiosk/thanks.html", kind=request.args.get("kind", "survey"))


@bp.get("/procedures")
def procedures():
    """The procedure guide: fields to browse, or the procedures matching the words typed."""
    query, field_id, today = request.args.get("q", "").strip()[:100], request.args.get("field", type=int), clock.today()
    fields = guide.fields(today)
    results = guide.search(query, today) if query else guide.in_field(field_id, today) if field_id else None
    field = next((field for field, _count in fields if field.id == field_id), None)
    return render_template("kiosk/procedures.html", query=query, fields=fields, field=field, results=results)


@bp.get("/procedures/<code>")
def procedure(code):
    """One procedure: documents to bring, time limit, fee, where to submit, and a QR to take it along."""
    found = guide.find(code, clock.today()) or abort(404)
    url = guide.public_url(url_for(".procedure", code=found.code))
    return render_template("kiosk/procedure.html", procedure=found, qr=codes.qr_svg(url),
                           level=guide.online_level(found.online_level), query=request.args.get("q", "")[:100])


@bp.get("/<path:anything>")
def elsewhere(anything):
    """Any other address under the kiosk gets the kiosk's own "not found" screen, never a staff page."""
    abort(404)


@bp.errorhandler(404)
def _not_found(error):
    return render_template("kiosk/message.html", title=_("Không tìm thấy"), message=_(
        "Không tìm thấy trang này. Mời ông/bà chạm “Trang chủ” để bắt đầu lại.")), 404


@bp.errorhandler(429)
def _too_many(error):
    return render_template("kiosk/message.html", title=_("Vui lòng chờ một chút"), wait=True, message=_(
        "Ông/bà vừa tra cứu nhiều lần liên tiếp. Xin chờ khoảng một phút rồi thử lại.")), 429


@bp.errorhandler(CSRFError)
def _stale_form(error):
    return render_template("kiosk/message.html", title=_("Xin thử lại"), message=_(
        "Màn hình đã mở quá lâu nên chưa gửi được. Mời ông/bà chạm “Trang chủ” rồi làm lại.")), 400
