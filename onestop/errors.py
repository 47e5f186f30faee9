"""Domain errors and the error pages."""
from flask import jsonify, render_template, request

from .extensions import db


class WorkflowError(Exception):
    """A rule refused the action; the message is fit for the person at the desk."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(code: int, message: str):
    def handler(error):
        if code == 500:
            db.session.rollback()
        if _wants_json():
            return jsonify(error={"code": str(code), "message": message}), code
        return render_template(f"errors/{code}.html", message=message), code
    return handler


def init_app(app):
    app.register_error_handler(403, _page(403, "Bạn không có quyền xem trang này."))
    app.register_error_handler(404, _page(404, "Không tìm thấy trang hoặc hồ sơ."))
    app.register_error_handler(413, _page(413, "Dữ liệu gửi lên quá lớn."))
    app.register_error_handler(429, _page(429, "Bạn thao tác quá nhanh, vui lòng chờ một chút rồi thử lại."))
    app.register_error_handler(500, _page(500, "Có lỗi trong hệ thống; dữ liệu chưa được lưu. Vui lòng thử lại."))
