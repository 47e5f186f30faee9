"""The ID card's QR arriving at the desk: in the scan box or in any field of the intake form."""
from dataclasses import dataclass

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import idcards


@dataclass
class Scan:
    """A card found in what was submitted: the form data to show instead, and what to tell the clerk."""

    formdata: MultiDict
    card: idcards.Card | None
    message: str


def garbled_message() -> str:
    return _("Máy quét đã gõ sai dấu tiếng Việt (chuỗi quét từ CCCD không đọc được). Hãy đặt máy quét ở chế độ "
             "xuất Unicode/UTF-8 (xem mục “Cài đặt máy quét” trong hướng dẫn) rồi quét lại, hoặc nhập tay.")


def find(formdata) -> Scan | None:
    """The card typed into the `card` field or any field of the intake form, with the form filled from it."""
    for name, value in formdata.items(multi=True):
        if name == "csrf_token" or not idcards.looks_like_card(value):
            continue
        data = MultiDict([(key, "" if key == name else item) for key, item in formdata.items(multi=True)])
        data.pop("card", None)
        try:
            card = idcards.parse(value)
        except idcards.GarbledCard:
            return Scan(data, None, garbled_message())
        for key, item in (("applicant_name", card.name), ("id_number", card.id_number),
                          ("date_of_birth", card.date_of_birth.strftime("%d/%m/%Y") if card.date_of_birth else ""),
                          ("sex", card.sex), ("address", card.address)):
            data[key] = item
        data.pop("is_organisation", None)
        return Scan(data, card, _("Đã điền thông tin từ mã QR trên thẻ căn cước. Hãy đối chiếu với người nộp "
                                  "trước khi tiếp nhận."))
    return None
