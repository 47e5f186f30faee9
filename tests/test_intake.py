"""Intake without surprises: one form makes one dossier, no papers needs a confirmation, one step to paper."""
import re

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Dossier
from test_desk import GOOD, count_dossiers, receive


def test_the_same_form_submitted_twice_lands_on_the_first_dossier(app, client, login):
    login("clerk")
    form = client.get("/desk/receive").text
    token = re.search(r'name="intake_token" type="hidden" value="([0-9a-f]+)"', form).group(1)
    first = client.post("/desk/receive", data={**GOOD, "intake_token": token})
    # Browser Back, the documents no longer ticked, and "save" again.
    no_papers = {key: value for key, value in GOOD.items() if not key.startswith("doc_")}
    second = client.post("/desk/receive", data={**no_papers, "intake_token": token, "no_documents": "y"})
    assert second.status_code == 302 and second.location == first.location
    assert count_dossiers(app) == 1
    page = client.get(second.location).text
    assert "Biểu mẫu này đã được tiếp nhận thành hồ sơ 000.13.31.H57-260305-0001; không tạo hồ sơ mới." in page
    # A fresh form has a fresh token, and makes a second dossier.
    token2 = re.search(r'name="intake_token" type="hidden" value="([0-9a-f]+)"', client.get("/desk/receive").text)
    assert token2.group(1) != token
    assert client.post("/desk/receive", data={**GOOD, "intake_token": token2.group(1)}).status_code == 302
    assert count_dossiers(app) == 2


def test_intake_with_no_document_ticked_asks_for_confirmation(app, client, login):
    login("clerk")
    no_papers = {key: value for key, value in GOOD.items() if not key.startswith("doc_")}
    page = client.post("/desk/receive", data=no_papers).text
    assert "Chưa đánh dấu giấy tờ nào đã nhận" in page
    assert 'name="no_documents"' in page
    assert count_dossiers(app) == 0
    assert client.post("/desk/receive", data={**no_papers, "no_documents": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Dossier)).documents == []


def test_receive_and_print_goes_to_the_receipt_that_prints_then_returns_to_a_fresh_form(app, client, login):
    login("clerk")
    response = client.post("/desk/receive", data={**GOOD, "then": "print"})
    assert response.location.endswith("/desk/dossiers/000.13.31.H57-260305-0001/receipt?print=1")
    receipt = client.get(response.location).text
    assert 'data-after-print="/desk/receive"' in receipt
    fresh = client.get("/desk/receive").text
    assert "Đã tiếp nhận hồ sơ 000.13.31.H57-260305-0001." in fresh  # said on the fresh form
    assert 'value="Phạm Văn Dũng"' not in fresh
    # Without ?print the receipt is only shown; with the label setting, the label prints after it.
    assert "data-after-print" not in client.get("/desk/dossiers/000.13.31.H57-260305-0001/receipt").text
    with app.app_context():
        from onestop import settings
        settings.put("print_label_at_intake", True)
        db.session.commit()
    receipt = client.get(response.location).text
    assert 'data-after-print="/desk/dossiers/000.13.31.H57-260305-0001/label?print=1"' in receipt
    label = client.get("/desk/dossiers/000.13.31.H57-260305-0001/label?print=1").text
    assert 'data-after-print="/desk/receive"' in label


def test_the_scan_box_takes_the_short_code_of_the_users_agency_and_ignores_an_empty_enter(app, client, login):
    code = receive(app)
    login("clerk")
    response = client.get("/desk/scan", query_string={"code": code.split("-", 1)[1]})  # 260305-0001
    assert response.location.endswith(f"/desk/dossiers/{code}")
    empty = client.get("/desk/scan", query_string={"code": "  "}, headers={"Referer": "http://localhost/desk/search"})
    assert empty.location == "http://localhost/desk/search"
    assert "Không tìm thấy" not in client.get("/desk/search").text


@pytest.mark.parametrize("name", ["Nguyễn Văn\x07 An", "Trần Thị 😀 Bình", "Lê\u200bVăn"])
def test_control_characters_and_emoji_are_refused_in_names(app, client, login, name):
    login("clerk")
    page = client.post("/desk/receive", data={**GOOD, "applicant_name": name}).text
    assert "Họ tên không được chứa ký tự điều khiển hay biểu tượng cảm xúc (emoji)." in page
    assert count_dossiers(app) == 0


def test_the_settings_page_warns_when_the_qr_address_is_a_loopback_one(app, client, login):
    login("admin")
    assert 'id="loopback-warning"' in client.get("/admin/settings").text  # the default 127.0.0.1
    with app.app_context():
        from onestop import settings
        settings.put("public_base_url", "https://motcua.quangtho.vn")
        db.session.commit()
    assert 'id="loopback-warning"' not in client.get("/admin/settings").text
