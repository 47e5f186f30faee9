"""What a file really is, from its bytes: only PDF, JPEG and PNG that parse are kept, whatever the name says."""
import io
import re
import unicodedata
import warnings

from flask_babel import gettext as _

from ..errors import WorkflowError

# Circular 01/2023/TT-VPCP art. 8 asks for scans as PDF (papers) or image files; a desk scanner writes these.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAGIC = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


class FileRefused(WorkflowError):
    """The file cannot be kept; `status` is the HTTP answer the API gives (413 too large, 422 otherwise)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message, field="file")
        self.status = status


def content_type(data: bytes) -> str:
    """The checked type of the bytes: the magic number says which, and the file must parse as that type."""
    kind = next((name for magic, name in MAGIC if data.startswith(magic)), None)
    if kind is None:
        raise FileRefused(_("Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp)."))
    if not _parses(data, kind):
        raise FileRefused(_("Tệp bị hỏng hoặc không đúng định dạng %(kind)s; hãy quét lại.",
                            kind=EXTENSIONS[kind].upper()))
    return kind


def _parses(data: bytes, kind: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a decompression bomb or a broken stream is a refusal, not a warning
        try:
            if kind == "application/pdf":
                return _pdf_pages(data) > 0
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                if image.format != IMAGE_FORMATS[kind]:
                    return False
                image.verify()
            return True
        except Exception:  # noqa: BLE001 (any parser failure means the file is not what it claims)
            return False


def _pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data), strict=False).pages)


def safe_name(name: str, kind: str) -> str:
    """The uploaded name without folders, control characters or a misleading extension (≤ 120 characters)."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem = re.sub(r"[\x00-\x1f\x7f\"<>:|?*;]+", "", name.rsplit(".", 1)[0] if "." in name else name).strip(" .")
    return f"{(stem or 'tep')[:110]}.{EXTENSIONS[kind]}"
