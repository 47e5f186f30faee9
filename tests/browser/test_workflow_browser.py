"""A land dossier's whole life in Chromium: desk, officer, citizen's supplement, land office, leader, desk again."""
import re
import subprocess

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
CODE = "000.13.31.H57-260302-0001"


def at(live_server, moment: str) -> None:
    """Pin the served app's clock for the next step (ISO 8601, Vietnam time)."""
    live_server.config["NOW"] = f"{moment}+07:00"


def log_out(page, base: str) -> None:
    """Press the header's logout button (logout is a POST with the CSRF token), if someone is signed in."""
    page.goto(f"{base}/auth/login")
    button = page.locator("header .user button")
    if button.count():
        button.click()
        expect(page.locator(".flash")).to_contain_text("Đã đăng xuất")


def log_in(page, base: str, username: str) -> None:
    log_out(page, base)
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("header .user")).to_contain_text("Đăng xuất")


def scan(page, code: str) -> None:
    """The barcode gun types the folder's code and Enter into the scan box."""
    page.locator("#scan-code").fill(code)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(code)


def step(page, action: str):
    return page.locator(f'#actions form[data-action="{action}"]')


def test_a_dossier_goes_through_every_hand_and_form_05_records_each_hand_over(live_server, page, screenshot_dir):
    base = live_server.config["LIVE_URL"]
    page.set_viewport_size({"width": 1280, "height": 900})

    # Mon 02/03 08:00 — the clerk receives a first land-use certificate (30 working days) and hands it over.
    at(live_server, "2026-03-02T08:00:00")
    log_in(page, base, "clerk")
    page.goto(f"{base}/desk/receive")
    page.fill("#procedure-search", "giay chung nhan quyen su dung dat")
    page.locator("#procedure-results li[data-code='XA.DD.02']").click()
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#applicant_name", "Nguyễn Văn An")
    page.fill("#phone", "0905123456")
    page.click("text=Chỉ tiếp nhận")
    expect(page.locator(".flash-success")).to_contain_text(CODE)
    at(live_server, "2026-03-02T08:15:00")
    handover = step(page, "hand_over")
    handover.locator("select[name=to_user]").select_option("officer")
    handover.locator("button").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã bàn giao hồ sơ")

    # 10:00 — the officer finds it in the inbox and asks the citizen for a missing paper.
    at(live_server, "2026-03-02T10:00:00")
    log_in(page, base, "officer")
    page.click("nav >> text=Hộp việc")
    expect(page.locator("#mine")).to_contain_text(CODE)
    page.locator("#mine").get_by_role("link", name=CODE).click()
    expect(page.locator("#actions form[data-action]")).to_have_count(4)
    page.screenshot(path=str(screenshot_dir / "workflow-dossier-officer.png"), full_page=True)
    page.click("text=Yêu cầu bổ sung hồ sơ (chỉ một lần)")
    supplement = step(page, "request_supplement")
    supplement.locator("textarea[name=items]").fill("Bản sao sổ hộ khẩu\nSơ đồ thửa đất")
    supplement.locator("textarea[name=reason]").fill("Thiếu giấy tờ chứng minh nơi cư trú và sơ đồ thửa đất")
    supplement.locator("button").click()
    expect(page.locator("body")).to_contain_text("tạm dừng chờ bổ sung")
    expect(page.get_by_role("link", name="In phiếu yêu cầu bổ sung (mẫu 02)")).to_be_visible()

    # Wed 04/03 14:00 — the citizen brings the papers; the clerk scans the folder and resumes it.
    at(live_server, "2026-03-04T14:00:00")
    log_in(page, base, "clerk")
    scan(page, CODE)
    resume = step(page, "resume")
    resume.locator("input[name=note]").fill("Đã nhận bản sao sổ hộ khẩu và sơ đồ thửa đất")
    resume.locator("button").click()
    # Mon 10:00–17:00 is 5 h, Tue 8 h, Wed 07:00–14:00 is 5 h: 18 working hours paused.
    expect(page.locator(".timeline")).to_contain_text("lùi thêm 18 giờ làm việc")

    # Thu 05/03 09:00 — the officer sends it to the land registration office (the route's 20 working days).
    at(live_server, "2026-03-05T09:00:00")
    log_in(page, base, "officer")
    scan(page, CODE)
    page.click("text=Chuyển cơ quan phối hợp (liên thông)")
    send = step(page, "send_to_partner")
    expect(send.locator("select[name=agency_code]")).to_have_value("000.00.31.H57")
    send.locator("button").click()
    expect(page.locator(".leg-now")).to_have_text(
        "Đang ở Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ, hạn bước: 09:00 02/04/2026")

    # Fri 13/03 10:00 — the land office's user returns it from the inbox.
    at(live_server, "2026-03-13T10:00:00")
    log_in(page, base, "partner")
    page.goto(f"{base}/desk/inbox")
    incoming = page.locator("#incoming")
    expect(incoming).to_contain_text(CODE)
    page.screenshot(path=str(screenshot_dir / "workflow-inbox-partner.png"), full_page=True)
    incoming.locator("input[name=note]").fill("Đã đo đạc, xác nhận ranh giới")
    incoming.get_by_role("button", name="Trả hồ sơ").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã trả hồ sơ")  # the partner says it gave it back (issue 17)
    expect(page.locator("#incoming")).not_to_contain_text(CODE)

    # Mon 16/03 — the officer submits it; the leader approves from the inbox.
    at(live_server, "2026-03-16T09:00:00")
    log_in(page, base, "officer")
    scan(page, CODE)
    step(page, "submit_for_approval").locator("button").click()
    expect(page.locator(".status")).to_have_text("Chờ phê duyệt")
    at(live_server, "2026-03-16T15:00:00")
    log_in(page, base, "leader")
    page.goto(f"{base}/desk/inbox")
    expect(page.locator("#approval")).to_contain_text(CODE)
    page.screenshot(path=str(screenshot_dir / "workflow-inbox-leader.png"), full_page=True)
    page.locator("#approval").get_by_role("link", name=CODE).click()
    step(page, "approve").locator("button").click()
    expect(page.locator(".status")).to_have_text("Đã phê duyệt")  # approved: the badge says so (issue 17)

    # Tue 17/03 — the officer marks it ready; the clerk returns it to the citizen.
    at(live_server, "2026-03-17T08:00:00")
    log_in(page, base, "officer")
    scan(page, CODE)
    step(page, "mark_ready").locator("button").click()
    expect(page.locator(".status")).to_have_text("Đã có kết quả, chờ trả")
    at(live_server, "2026-03-17T10:00:00")
    log_in(page, base, "clerk")
    page.goto(f"{base}/desk/inbox")
    page.locator("#ready").get_by_role("link", name=CODE).click()
    step(page, "return_result").locator("button").click()
    expect(page.locator(".status")).to_have_text("Đã trả kết quả")
    expect(page.locator("body")).to_contain_text("Trước hạn")

    # Form 05: one pair of rows per hand-over, with its time and result.
    page.goto(f"{base}/desk/dossiers/{CODE}/control")
    handovers = page.locator("tbody.handover")
    expected = [
        ("hand_over", "Bộ phận Tiếp nhận và Trả kết quả (Lê Thị Thu)", "Trần Văn Hùng",
         "08 giờ 15 phút, ngày 02/03/2026"),
        ("send_to_partner", "Trần Văn Hùng", "Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ",
         "09 giờ 00 phút, ngày 05/03/2026"),
        ("partner_returned", "Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ (Hoàng Thị Lan)", "Trần Văn Hùng",
         "10 giờ 00 phút, ngày 13/03/2026"),
        ("submit_for_approval", "Trần Văn Hùng", "Lãnh đạo UBND xã Quảng Thọ", "09 giờ 00 phút, ngày 16/03/2026"),
        ("approve", "Nguyễn Văn Minh", "Trần Văn Hùng", "15 giờ 00 phút, ngày 16/03/2026"),
        ("mark_ready", "Trần Văn Hùng", "Bộ phận Tiếp nhận và Trả kết quả", "08 giờ 00 phút, ngày 17/03/2026"),
    ]
    expect(handovers).to_have_count(len(expected))
    for row, (action, giver, receiver, moment) in zip(handovers.all(), expected):
        expect(row).to_have_attribute("data-action", action)
        expect(row).to_contain_text(f"1. Giao: {giver}")
        expect(row).to_contain_text(f"2. Nhận: {receiver}")
        expect(row).to_contain_text(moment)
        expect(row.locator("td.result")).to_contain_text("Trước hạn")
    page.screenshot(path=str(screenshot_dir / "workflow-form05-screen.png"), full_page=True)
    pdf = screenshot_dir / "workflow-form05.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(pdf),
                    str(screenshot_dir / "workflow-form05-a5")], check=True)
    assert re.search(rb"/MediaBox \[0 0 4(19\.\d+|20) 59(4\.\d+|5)\]", pdf.read_bytes())  # A5 portrait, in points


def test_scanning_a_folder_someone_else_holds_offers_to_receive_it(live_server, page, screenshot_dir):
    base = live_server.config["LIVE_URL"]
    page.set_viewport_size({"width": 1280, "height": 900})
    at(live_server, "2026-03-05T08:00:00")
    log_in(page, base, "clerk")
    page.goto(f"{base}/desk/receive")
    page.fill("#procedure-search", "giam ho")
    page.locator("#procedure-results li[data-code='1.004837']").click()
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#applicant_name", "Trần Thị Bình")
    page.click("text=Chỉ tiếp nhận")
    code = "000.13.31.H57-260305-0001"
    expect(page.locator(".flash-success")).to_contain_text(code)

    at(live_server, "2026-03-05T09:00:00")
    log_in(page, base, "officer")
    scan(page, code)
    first = page.locator("#actions button").first
    expect(first).to_have_text("Nhận hồ sơ từ Lê Thị Thu")
    page.screenshot(path=str(screenshot_dir / "workflow-dossier-take.png"), full_page=True)
    first.click()
    expect(page.locator(".flash-success")).to_contain_text("Đã bàn giao hồ sơ")
    expect(page.locator(".timeline")).to_contain_text("Lê Thị Thu → Trần Văn Hùng")
    expect(page.locator("#actions form[data-action=submit_for_approval]")).to_be_visible()
