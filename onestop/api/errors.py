"""One error shape for every API answer that is not a success: {"error": {"code", "message"}} in Vietnamese."""
import http

from flask import jsonify, request
from flask_babel import gettext as _
from flask_smorest.utils import prepare_response
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from ..errors import WorkflowError
from ..extensions import db

PREFIX = "/api/"
# Marshmallow's messages for an unknown key and for a value that is not an object; read back below
# to name the field.
UNKNOWN_FIELD = "Trường không được hỗ trợ."
NOT_AN_OBJECT = "Dữ liệu phải là một đối tượng JSON."
CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_input",
    429: "too_many_requests", 500: "server_error",
}


class ErrorBodySchema(Schema):
    code = fields.String(metadata={"description": "Machine-readable reason, e.g. invalid_input"})
    message = fields.String(metadata={"description": "What went wrong, in Vietnamese"})
    fields_ = fields.Dict(data_key="fields", keys=fields.String(), values=fields.List(fields.String()),
                          metadata={"description": "For invalid input: the message of each field (dotted path)"})


class ApiErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema)


class ApiError(Exception):
    """An answer other than success, with a message for the person who reads it."""

    def __init__(self, status: int, message: str, *, code: str | None = None, fields: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code or CODES.get(status, f"http_{status}")
        self.fields, self.headers = fields, headers or {}


def error_response(error: ApiError):
    """The JSON answer for an ApiError."""
    body = {"code": error.code, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    response = jsonify(error=body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _default_messages() -> dict:
    return {
        400: _("Yêu cầu không hợp lệ."),
        401: _("Cần đăng nhập hoặc gửi mã truy cập API (Authorization: Bearer …)."),
        403: _("Tài khoản của bạn không có quyền thực hiện thao tác này."),
        404: _("Không tìm thấy địa chỉ hoặc dữ liệu được yêu cầu."),
        405: _("Địa chỉ này không nhận phương thức %(method)s.", method=request.method),
        409: _("Thao tác không được chấp nhận ở trạng thái hiện tại."),
        413: _("Dữ liệu gửi lên quá lớn."),
        415: _("Nội dung gửi lên phải là JSON (Content-Type: application/json)."),
        422: _("Dữ liệu gửi lên không hợp lệ."),
        429: _("Bạn thao tác quá nhanh, vui lòng chờ một chút rồi thử lại."),
        500: _("Có lỗi trong hệ thống; dữ liệu chưa được lưu. Vui lòng thử lại."),
    }


def _from_http_exception(error: HTTPException) -> ApiError:
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if isinstance(error, CSRFError):
        return ApiError(400, _("Thiếu hoặc sai mã chống giả mạo (CSRF) của phiên đăng nhập; hãy tải lại trang "
                               "rồi thử lại."), code="csrf_failed")
    if error.code == 400 and "json" in (data.get("messages") or {}):
        return ApiError(400, _("Nội dung gửi lên không phải là JSON hợp lệ."), code="invalid_json")
    if error.code == 422 and data.get("messages"):
        return validation_error(data["messages"], headers)
    if error.code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="onestop"')
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    message = _default_messages().get(error.code) or _("Yêu cầu không thực hiện được (mã %(code)s).", code=error.code)
    return ApiError(error.code, message, headers=headers)


def validation_error(messages: dict, headers: dict | None = None) -> ApiError:
    """A 422 whose message lists, in Vietnamese, what is wrong with each field."""
    flat: dict[str, list[str]] = {}
    for location_messages in messages.values():  # webargs nests them by location: {"json": {...}}
        _flatten(location_messages, "", flat)
    text = " ".join(dict.fromkeys(message for items in flat.values() for message in items))
    return ApiError(422, text or _default_messages()[422], fields=flat, headers=headers)


def _flatten(value, path: str, out: dict) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, path if key == "_schema" else f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list | tuple) and any(isinstance(item, dict | list) for item in value):
        for item in value:
            _flatten(item, path, out)
    else:
        items = value if isinstance(value, list | tuple) else [value]
        out.setdefault(path or "_", []).extend(_naming(str(item), path) for item in items)


def _naming(message: str, path: str) -> str:
    if message == UNKNOWN_FIELD:
        return _("Trường “%(name)s” không được hỗ trợ.", name=path)
    if message == NOT_AN_OBJECT:
        return _("Giá trị của “%(name)s” phải là một đối tượng JSON.", name=path) if path else \
            _("Dữ liệu gửi lên phải là một đối tượng JSON.")
    return message


def handle_http_exception(error: HTTPException):
    """Any HTTP error raised inside the API (abort, webargs validation, CSRF, 404 …)."""
    if error.code is None:
        return error
    if error.code >= 500:
        db.session.rollback()
    return error_response(_from_http_exception(error))


def handle_api_error(error: ApiError):
    """An ApiError raised by a view or a guard."""
    return error_response(error)


def handle_workflow_error(error: WorkflowError):
    """A rule refused the action: 409, or 422 when the rule names a field; nothing is kept."""
    db.session.rollback()
    if error.field:
        return error_response(ApiError(422, error.message, fields={error.field: [error.message]}))
    return error_response(ApiError(409, error.message))


def _handle_app_http_exception(error: HTTPException):
    # Stands in for flask-smorest's app-wide handler, which would answer every page's errors in its own JSON.
    if request.path.startswith(PREFIX):
        return handle_http_exception(error)
    return error


def init_blueprint(bp) -> None:
    """Answer every error of the blueprint in the API's shape, ahead of the app's HTML error pages."""
    bp.register_error_handler(ApiError, handle_api_error)
    bp.register_error_handler(WorkflowError, handle_workflow_error)
    bp.register_error_handler(HTTPException, handle_http_exception)
    for code in CODES:  # per-code handlers of the app (errors.py) would win over a class handler
        bp.register_error_handler(code, handle_http_exception)
    bp.record_once(_replace_smorest_defaults)


def _replace_smorest_defaults(state) -> None:
    state.app.register_error_handler(HTTPException, _handle_app_http_exception)
    # flask-smorest documents its own error payload; document ours in the lazily added responses.
    spec = state.app.extensions["flask-smorest"]["blp_name_to_api"][state.blueprint.name].spec
    for status in http.HTTPStatus:
        if status >= 400:
            spec.components.response(status.name, _documented(status.phrase, spec), lazy=True)
    spec.components.response("DEFAULT_ERROR", _documented("Error", spec), lazy=True)
    spec.components.schemas.pop("Error", None)  # flask-smorest's payload, now referenced by nothing


def _documented(description: str, spec) -> dict:
    response = {"description": description, "schema": ApiErrorSchema}
    prepare_response(response, spec, "application/json")
    return response
