"""Wording: confirmations say what happened, the event log speaks Vietnamese, English mode is English, papers Vietnamese."""
import sqlalchemy as sa

from lifecycle import build
from onestop.extensions import db
from onestop.models import Dossier
from test_desk import GOOD, receive


def test_a_hand_over_confirms_who_got_the_dossier(app, client, login):
    code = receive(app)
    login("clerk")
    response = client.post(f"/desk/dossiers/{code}/actions/hand_over", data={"to_user": "officer"},
                           follow_redirects=True)
    assert f"Đã bàn giao hồ sơ {code} cho Trần Văn Hùng." in response.text


def test_the_event_log_and_its_filter_show_vietnamese_action_names(app, client, login):
    with app.app_context():
        build("awaiting_approval")
        db.session.commit()
    login("admin")
    page = client.get("/admin/events").text
    assert "<td>Trình phê duyệt</td>" in page and "<td>submit_for_approval</td>" not in page
    assert '<option value="hand_over">Bàn giao</option>' in page
    assert client.get("/admin/events", query_string={"action": "hand_over"}).text.count("<td>Bàn giao</td>") == 1


def test_validation_messages_are_vietnamese(app, client, login):
    login("clerk")
    page = client.post("/desk/receive", data={**GOOD, "applicant_name": "A" * 201}).text
    assert "Dài tối đa 200 ký tự." in page and "Field cannot be longer" not in page
    with app.app_context():
        code = build("processing").code
        db.session.commit()
    login("officer")
    page = client.post(f"/desk/dossiers/{code}/actions/send_to_partner",
                       data={"agency_code": "000.00.31.H57", "share": "ba ngày"}, follow_redirects=True).text
    assert "Cần nhập một số (ví dụ 3 hoặc 0,5)." in page and "Not a valid decimal value" not in page


def test_an_english_screen_keeps_wtforms_english_messages(client, login):
    login("clerk")
    client.get("/desk/", query_string={"lang": "en"})
    page = client.post("/desk/receive", data={**GOOD, "applicant_name": "A" * 201}).text
    assert "Field cannot be longer than 200 characters." in page and "Dài tối đa" not in page


def test_english_mode_shows_english_labels_while_the_receipt_stays_vietnamese(app, client, login):
    login("clerk")
    client.post("/desk/receive", data=GOOD)
    with app.app_context():
        code = db.session.scalar(sa.select(Dossier.code))
    client.get("/desk/?lang=en")  # (the Vietnamese confirmation of the intake is shown there)
    page = client.get(f"/desk/dossiers/{code}").text
    assert 'id="status-badge">Received</span>' in page
    assert "Receive a dossier" in page and "(Original, 1 copy)" in page
    assert "Đã tiếp nhận" not in page and "Bản chính" not in page
    receipt = client.get(f"/desk/dossiers/{code}/receipt").text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt and "NGƯỜI NỘP HỒ SƠ" in receipt
    assert "DOSSIER RECEIPT" not in receipt
    assert "Hand over" in client.get(f"/desk/dossiers/{code}").text  # the screen itself is still English


def test_document_lines_say_1_copy_and_2_copies_in_english_and_ban_in_vietnamese(app, client, login):
    login("clerk")
    client.post("/desk/receive", data={**GOOD, "doc_checked": ["0", "1"],
                                       "doc_name_1": "Giấy tờ chứng minh nơi cư trú", "doc_kind_1": "copy",
                                       "doc_count_1": "2"})
    with app.app_context():
        code = db.session.scalar(sa.select(Dossier.code))
    page = client.get(f"/desk/dossiers/{code}").text
    assert "(Bản chính, 1 bản)" in page
    client.get("/desk/?lang=en")
    page = client.get(f"/desk/dossiers/{code}").text
    assert "Tờ khai đăng ký giám hộ theo mẫu (Original, 1 copy)" in page
    assert "Giấy tờ chứng minh nơi cư trú (" in page and ", 2 copies)" in page
    assert "1 copies" not in page and "bản)" not in page

def test_the_phone_lookup_names_the_agency_its_phone_and_its_hours(app, client, login):
    from onestop import codes, settings

    code = receive(app)
    with app.app_context():
        settings.put("contact_phone", "0234 3551 234")
        db.session.commit()
    token = codes.lookup_token(code, app.config["SECRET_KEY"])
    page = client.get(f"/tra-cuu/{code}", query_string={"t": token}).text
    assert "Bộ phận Tiếp nhận và Trả kết quả, UBND xã Quảng Thọ" in page
    assert 'href="tel:02343551234"' in page and "07:00–11:30, 13:30–17:00, thứ Hai đến thứ Sáu" in page


def test_the_login_redirect_message_follows_the_language(client, demo):
    client.get("/auth/login?lang=en")
    page = client.get("/desk/", follow_redirects=True).text
    assert "Please log in to continue." in page and "Vui lòng đăng nhập" not in page
    client.get("/auth/login?lang=vi")
    assert "Vui lòng đăng nhập để tiếp tục." in client.get("/desk/", follow_redirects=True).text


def test_period_names_follow_the_language_of_the_page(app):
    from onestop import periods
    from onestop.formatting import period_label

    march, quarter = periods.official_month(2026, 3), periods.calendar_quarter(2026, 2)
    with app.test_request_context("/?lang=en"):
        from flask import session
        session["lang"] = "en"
        assert period_label(march) == "Month 03/2026 (15/02/2026 to 14/03/2026)"
        assert period_label(quarter) == "Quarter II/2026 (calendar) (01/04/2026 to 30/06/2026)"
    with app.test_request_context("/"):
        assert period_label(march) == march.label == "Tháng 03/2026 (từ 15/02/2026 đến 14/03/2026)"


def test_english_mode_names_closed_dossiers_and_past_steps_as_states_and_the_menu_as_actions(app, client, login):
    """"Từ chối giải quyết" is a status, a past step and a menu item: "Refused" in the list and the history,
    "Refuse" only on the menu that does it (likewise withdrawn, approved, handed over, received)."""
    with app.app_context():
        refused, withdrawn, approved = (build(state).code for state in ("refused", "withdrawn", "approved"))
        open_one = build("processing").code
        db.session.commit()
    login("leader")
    client.get("/desk/?lang=en")
    listed = client.get("/desk/search", query_string={"q": "Phạm Văn Dũng"}).text
    for code in (refused, withdrawn):
        assert code in listed
    assert ">Refused</span>" in listed and ">Withdrawn by the citizen</span>" in listed
    assert ">Refuse</span>" not in listed and "withdraws" not in listed
    history = client.get(f"/desk/dossiers/{refused}").text
    assert 'id="status-badge">Refused</span>' in history
    assert "<b>Dossier received</b>" in history and "<b>Handed over</b>" in history and "<b>Refused</b>" in history
    assert "<b>Approved</b>" in client.get(f"/desk/dossiers/{approved}").text
    menu = client.get(f"/desk/dossiers/{open_one}").text
    assert "<summary>Refuse</summary>" in menu
    assert "Receive a dossier" in menu  # the menu bar's action keeps its verb
    login("clerk")
    client.get("/desk/?lang=en")  # a new sign-in is a new session
    assert "<summary>Citizen withdraws the dossier</summary>" in client.get(f"/desk/dossiers/{open_one}").text
