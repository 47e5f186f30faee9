"""Vietnamese order (ICU): a, ă, â, b, c, d, đ, e, ê … in the statistics rows and the kiosk's guide."""
from datetime import date

import sqlalchemy as sa

from kiosk import guide
from onestop import collation
from onestop.models import Field, Procedure


def test_vietnamese_letters_sort_in_the_alphabets_order():
    names = ["Giáo dục", "Đất đai", "Dân tộc", "ăn", "an", "âm", "Ê-đê", "em", "Bảo trợ xã hội"]
    assert collation.sorted_vi(names) == ["an", "ăn", "âm", "Bảo trợ xã hội", "Dân tộc", "Đất đai", "em", "Ê-đê",
                                          "Giáo dục"]


def test_the_kiosk_guide_lists_fields_in_vietnamese_order(session, demo):
    for name in ("Giáo dục", "Dân tộc"):
        field = Field(name=name)
        session.add(field)
        session.add(Procedure(code=f"XA.{len(name)}", name=f"Thủ tục {name}", field=field, deadline_value=1,
                              deadline_unit="working_days"))
    session.flush()
    names = [field.name for field, _count in guide.fields(date(2026, 3, 5))]
    assert names.index("Dân tộc") < names.index("Đất đai") < names.index("Giáo dục")
    assert names == collation.sorted_vi(names)
    land = session.scalar(sa.select(Field).where(Field.name == "Đất đai"))
    procedures = [procedure.name for procedure in guide.in_field(land.id, date(2026, 3, 5))]
    assert procedures == collation.sorted_vi(procedures)


def test_the_statistics_rows_follow_vietnamese_order(session, demo):
    from lifecycle import MONDAY, receive
    from onestop import periods, statistics
    from onestop.models import Agency

    for code in ("1.001193", "XA.DD.02", "2.000815"):  # Hộ tịch, Đất đai, Chứng thực
        receive(code, at=MONDAY)
    session.flush()
    home = session.scalar(sa.select(Agency).where(Agency.code == "000.13.31.H57"))
    report = statistics.tthc_report(home, periods.official_month(2026, 3), date(2026, 3, 5))
    assert [row.field for row in report.summary.rows] == ["Chứng thực", "Đất đai", "Hộ tịch"]  # Python: Đ last


def _three_fields_of_procedures(app):
    """Procedures named alike in Giáo dục, Đất đai (the demo's) and Dân tộc, with codes in none of the right orders."""
    from onestop.extensions import db
    with app.app_context():
        land = db.session.scalar(sa.select(Field).where(Field.name == "Đất đai"))
        for code, field in (("ZZ.01", land), ("ZZ.02", Field(name="Giáo dục")), ("ZZ.03", Field(name="Dân tộc"))):
            db.session.add(Procedure(code=code, name="Thủ tục mẫu quyxet", field=field, deadline_value=1,
                                     deadline_unit="working_days"))
        db.session.commit()


def test_the_admin_catalogue_and_the_intake_picker_group_procedures_by_field_in_vietnamese_order(app, client, login):
    _three_fields_of_procedures(app)
    login("admin")
    page = client.get("/admin/catalogue/", query_string={"q": "quyxet"}).text
    rows = [page.index(f'<td class="code">{code}</td>') for code in ("ZZ.03", "ZZ.01", "ZZ.02")]
    assert rows == sorted(rows)  # Dân tộc, Đất đai, Giáo dục (by code, or Python's order, Đất đai would not be 2nd)
    login("clerk")
    found = client.get("/api/v1/procedures", query_string={"q": "quyxet"}).get_json()["items"]
    assert [item["field"] for item in found] == ["Dân tộc", "Đất đai", "Giáo dục"]


def test_procedures_of_a_field_are_in_vietnamese_order_of_their_names(app, client, login):
    from onestop.extensions import db
    with app.app_context():
        field = Field(name="Thử nghiệm")
        for code, name in (("YY.01", "Đăng ký quyxet"), ("YY.02", "Xác nhận quyxet"), ("YY.03", "Dừng quyxet")):
            db.session.add(Procedure(code=code, name=name, field=field, deadline_value=1, deadline_unit="working_days"))
        db.session.commit()
    login("clerk")
    found = client.get("/api/v1/procedures", query_string={"q": "quyxet"}).get_json()["items"]
    assert [item["name"] for item in found] == ["Dừng quyxet", "Đăng ký quyxet", "Xác nhận quyxet"]
