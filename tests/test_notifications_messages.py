"""The words of the citizen's messages: one SMS segment each, the code and the link, never the ID number."""
import pytest

from onestop.notifications import messages, outbox

# The longest code a commune issues (a 13-character agency e-ID and a five-digit daily number) and a
# public address of the usual length for a province's portal.
CODE = "000.13.31.H57-261206-12345"
LINK = "https://motcua.quangtho.gov.vn/tra-cuu/000.13.31.H57-261206-12345?t=AbCdEfGhIjKlMnOp"
VALUES = {"code": CODE, "link": LINK, "agency": "UBND xã Quảng Thọ", "date": "16:30 10/12/2026",
          "old_date": "16:30 08/12/2026", "reason": "Thiếu giấy tờ", "items": "- Văn bản cử người giám hộ"}
CITIZEN_KINDS = sorted(set(outbox.EVENT_KINDS.values()))


@pytest.mark.parametrize("kind", CITIZEN_KINDS)
@pytest.mark.parametrize("delivery", ["desk", "post", "online"])
def test_every_sms_fits_one_gsm7_segment_with_the_code_and_link(app, kind, delivery):
    with app.test_request_context():
        rendered = messages.render(kind, {**VALUES, "result_delivery": delivery})
    assert messages.sms_units(rendered.sms)[0] == "gsm7", rendered.sms  # no accents: 160 characters, not 70
    assert messages.fits_one_sms(rendered.sms), (len(rendered.sms), rendered.sms)
    assert CODE in rendered.sms and LINK in rendered.sms
    assert CODE in rendered.subject and LINK in rendered.text and LINK in rendered.html


def test_segment_arithmetic_of_gsm7_and_ucs2():
    assert messages.sms_units("a" * 160) == ("gsm7", 160) and messages.fits_one_sms("a" * 160)
    assert not messages.fits_one_sms("a" * 161)
    assert messages.sms_units("[x]") == ("gsm7", 5)  # extension characters take two septets
    assert messages.sms_units("Hồ sơ") == ("ucs2", 5)  # one accent and the whole SMS is UCS-2
    assert messages.fits_one_sms("ồ" * 70) and not messages.fits_one_sms("ồ" * 71)


def test_the_event_names_in_the_data_are_those_the_workflow_sends():
    assert set(CITIZEN_KINDS) <= set(messages.catalogue())
    assert outbox.EVENT_KINDS["stop"] == "stopped"  # the 2025 regime's stop action (DESIGN.md §4)
