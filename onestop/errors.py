"""Domain errors and the error pages (HTML for people, JSON under /api/)."""
from flask import current_app, jsonify, render_template, request

from .extensions import db


class WorkflowError(Exception):
    """A rule refused the action; the message is fit for the person at the desk."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


# status: (API error code, Vietnamese message)
PAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ (có thể trang đã mở quá lâu). Vui lòng tải lại trang rồi thử lại."),
    403: ("forbidden", "Bạn không có quyền xem trang này."),
    404: ("not_found", "Không tìm thấy trang hoặc hồ sơ."),
    405: ("method_not_allowed", "Thao tác này không được hỗ trợ tại địa chỉ này."),
    413: ("too_large", "Dữ liệu gửi lên quá lớn."),
    422: ("invalid_input", "Địa chỉ trang có giá trị không hợp lệ (ví dụ số trang quá lớn). Hãy quay lại rồi thử lại."),
    429: ("too_many_requests", "Bạn thao tác quá nhanh, vui lòng chờ một chút rồi thử lại."),
    500: ("internal_error", "Có lỗi trong hệ thống; dữ liệu chưa được lưu. Vui lòng thử lại."),
}


def _handler(status: int):
    code, message = PAGES[status]

    def handler(error):
        if status == 500:
            db.session.rollback()
        if request.path.startswith("/api/"):  # the API answers every error in its own JSON shape
            from .api.errors import handle_http_exception

            return handle_http_exception(error) if hasattr(error, "code") else (
                jsonify(error={"code": code, "message": message}), status)
        return render_template("errors/error.html", status=status, message=message), status
    return handler


def upload_too_large(endpoint: str, refuse):
    """A blueprint's handler for an upload cut off at MAX_CONTENT_LENGTH before any view read it: on the
    upload's own endpoint `refuse(limit_in_mb)` answers on the form's page; elsewhere the generic page."""
    def handler(error):
        if request.endpoint != endpoint:
            return render_template("errors/error.html", status=413, message=PAGES[413][1]), 413
        return refuse(current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))
    return handler


def init_app(app):
    for status in PAGES:
        app.register_error_handler(status, _handler(status))
