"""The statistics form's grid (Biểu 06/VPCP/KSTT, Circular 01/2020/TT-VPCP), shared by the DOCX and XLSX files."""

FORM_NAME = "Biểu số 06/VPCP/KSTT"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
UNIT = "Đơn vị tính: Số hồ sơ TTHC"
FIELD_HEADING = "Lĩnh vực, công việc giải quyết theo cấp"
# Where online dossiers are named (issue 14): since Decree 118/2025/NĐ-CP they come through the national public
# service portal or the province's system for handling administrative procedures.
ONLINE_CHANNEL = "Cổng Dịch vụ công quốc gia hoặc Hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh"
# Three heading rows and the row of column numbers; a blank cell belongs to the merge that covers it.
HEADER_ROWS = [
    ["STT", FIELD_HEADING, "Số hồ sơ nhận giải quyết", "", "", "", "Kết quả giải quyết", "", "", "", "", "", ""],
    ["", "", "Tổng số", "Trong đó", "", "", "Số hồ sơ đã giải quyết", "", "", "", "Số hồ sơ đang giải quyết", "",
     ""],
    ["", "", "", "Số mới tiếp nhận trực tuyến", "Số mới tiếp nhận trực tiếp hoặc dịch vụ bưu chính",
     "Số kỳ trước chuyển qua", "Tổng số", "Trả trước hạn", "Trả đúng thời hạn", "Trả quá hạn", "Tổng số",
     "Trong hạn", "Quá hạn"],  # column (12): "Trong hạn" (issue 14)
    [f"({number})" for number in range(1, 14)],
]
# (first row, first column, last row, last column), zero-based over HEADER_ROWS.
MERGES = [(0, 0, 2, 0), (0, 1, 2, 1), (0, 2, 0, 5), (0, 6, 0, 12), (1, 2, 2, 2), (1, 3, 1, 5), (1, 6, 1, 9),
          (1, 10, 1, 12)]


# The same grid with the agencies as its lines, for a parent agency with many units.
UNIT_HEADER_ROWS = [["Cơ quan, đơn vị" if text == FIELD_HEADING else text for text in HEADER_ROWS[0]],
                    *HEADER_ROWS[1:]]


def unit_rows(report) -> list[list]:
    """One line per agency of a report (its total), then the total of them all."""
    lines = [[index, f"{unit.agency_name} ({unit.agency_code})", *unit.total.columns]
             for index, unit in enumerate(report.units, start=1)]
    return [*lines, ["", report.summary.total.field, *report.summary.total.columns]]


def body_rows(table) -> list[list]:
    """The form's lines for one Table: numbered fields, then the total (no number)."""
    lines = [[index, row.field, *row.columns] for index, row in enumerate(table.rows, start=1)]
    return [*lines, ["", table.total.field, *table.total.columns]]


def on_time_percent(row) -> str:
    """'93,3%' of resolved dossiers done early or on time; '—' when none were resolved."""
    share = row.on_time_share
    return "—" if share is None else f"{share * 100:.1f}".replace(".", ",") + "%"
