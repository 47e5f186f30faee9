"""The citizen ID card's QR at the desk: read, checked for a garbling scanner, and filling the intake form."""
from datetime import date

import pytest
import sqlalchemy as sa

from onestop import idcards
from onestop.extensions import db
from onestop.models import Dossier
from test_desk import GOOD, count_dossiers, receive

# As the 2021 chip card's QR reads (domain.md §9): ID | old CMND | name | born | sex | address | issued.
CARD = "046190001234|191234567|Nguyễn Thị Hồng Nhung|17051990|Nữ|Thôn Phước Thanh, Quảng Thọ, Quảng Điền, Thừa Thiên Huế|01072021"
# The 2024 Căn cước card: no old number, and more fields after the date of issue.
NEW_CARD = "001095012345||Trần Văn Hùng|02011995|Nam|Số 5 ngõ 12 phố Huế, Hai Bà Trưng, Hà Nội|15082024||extra|"


def test_a_card_reads_as_name_number_birth_sex_and_address():
    card = idcards.parse(CARD)
    assert card == idcards.Card(id_number="046190001234", name="Nguyễn Thị Hồng Nhung",
                                date_of_birth=date(1990, 5, 17), sex="female",
                                address="Thôn Phước Thanh, Quảng Thọ, Quảng Điền, Thừa Thiên Huế")
    new = idcards.parse(NEW_CARD)
    assert (new.id_number, new.name, new.date_of_birth, new.sex) == ("001095012345", "Trần Văn Hùng",
                                                                      date(1995, 1, 2), "male")


@pytest.mark.parametrize("text", [
    "046190001234|191234567|Nguy?n Th? H?ng Nhung|17051990|N?|Thôn Phước Thanh|01072021",  # every accent a "?"
    "046190001234|191234567|Nguyá»…n Thá»‹ Há»“ng Nhung|17051990|Ná»¯|ThÃ´n PhÆ°á»›c|01072021",  # UTF-8 read as cp1252
    "046190001234§191234567§Nguyen Thi Hong Nhung§17051990§Nu§Thon Phuoc Thanh§01072021",  # "|" in another layout
])
def test_a_card_typed_by_a_gun_in_the_wrong_layout_is_recognised_as_garbled(text):
    assert idcards.looks_like_card(text)
    with pytest.raises(idcards.GarbledCard):
        idcards.parse(text)


def test_dossier_codes_and_plain_numbers_are_not_cards():
    assert idcards.parse("000.13.31.H57-260305-0001") is None
    assert idcards.parse("260305-0001") is None
    assert idcards.parse("046190001234") is None


def test_scanning_a_card_into_the_scan_box_opens_the_filled_intake_form_and_saves_nothing(app, client, login):
    earlier = receive(app, name="Nguyễn Thị Hồng Nhung")
    with app.app_context():
        db.session.execute(sa.update(Dossier).values(applicant_id_number="046190001234"))
        db.session.commit()
    login("clerk")
    page = client.post("/desk/receive", data={"card": CARD}).text
    assert 'value="Nguyễn Thị Hồng Nhung"' in page and 'value="046190001234"' in page
    assert 'value="17/05/1990"' in page and '<option selected value="female">' in page
    assert 'value="Thôn Phước Thanh, Quảng Thọ, Quảng Điền, Thừa Thiên Huế"' in page
    assert "Đã điền thông tin từ mã QR trên thẻ căn cước" in page
    assert earlier in page  # the person's earlier dossier at this agency
    assert CARD not in page
    assert count_dossiers(app) == 1
    # Without the page's script the gun's text arrives by GET: the same form.
    page = client.get("/desk/scan", query_string={"code": CARD}).text
    assert 'value="Nguyễn Thị Hồng Nhung"' in page and 'action="/desk/receive"' in page


def test_a_card_scanned_into_a_field_of_the_intake_form_fills_it_and_keeps_the_rest(app, client, login):
    login("clerk")
    page = client.post("/desk/receive", data={**GOOD, "applicant_name": "", "note": CARD}).text
    assert 'value="Nguyễn Thị Hồng Nhung"' in page
    assert 'value="1.004837"' in page and "T\\u1edd khai" in page  # the procedure and the ticked papers are kept
    assert CARD not in page
    assert count_dossiers(app) == 0
    # The clerk confirms: the dossier keeps the parsed fields, never the raw string.
    filled = {**GOOD, "applicant_name": "Nguyễn Thị Hồng Nhung", "id_number": "046190001234",
              "date_of_birth": "17/05/1990", "sex": "female", "address": "Thôn Phước Thanh"}
    assert client.post("/desk/receive", data=filled).status_code == 302
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier))
        assert (dossier.applicant_date_of_birth, dossier.applicant_sex) == (date(1990, 5, 17), "female")
        assert "|" not in dossier.note + dossier.applicant_name + dossier.applicant_address


def test_a_garbled_card_tells_the_clerk_how_to_set_the_scanner(app, client, login):
    login("clerk")
    garbled = CARD.replace("ễ", "?").replace("ị", "?")
    page = client.post("/desk/receive", data={"card": garbled}).text
    assert "Máy quét đã gõ sai dấu tiếng Việt" in page and "Unicode/UTF-8" in page
    assert "Nguy?n" not in page
    assert count_dossiers(app) == 0


def test_an_id_number_needs_a_province_code(app, client, login):
    login("clerk")
    page = client.post("/desk/receive", data={**GOOD, "id_number": "099012345678"}).text
    assert "mã tỉnh nơi đăng ký khai sinh (001–096)" in page
    assert count_dossiers(app) == 0
