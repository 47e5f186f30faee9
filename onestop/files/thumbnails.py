"""A small PNG of a file's first page for the dossier page, made once and kept in the store beside the file."""
import io
import warnings

from PIL import Image

from . import storage
from .models import DossierFile
from .store import read

WIDTH = 240  # pixels: light on an old desk PC, still readable enough to tell one paper from another


def thumbnail(stored: DossierFile) -> bytes:
    """The cached thumbnail, rendered from the file on first use (store.FileMissing when the file is gone)."""
    store, key = storage.current_store(), storage.thumbnail_key(stored.sha256)
    try:
        return store.get(key)
    except (storage.MissingObject, storage.StoreUnavailable):
        pass
    picture = render(read(stored), stored.content_type)
    try:
        store.put(key, picture)
    except storage.StoreUnavailable:
        pass  # a cache: served all the same, made again next time
    return picture


def render(data: bytes, content_type: str) -> bytes:
    """The first page (PDF, rendered with PDFium) or the image, scaled to WIDTH pixels wide, as PNG."""
    if content_type == "application/pdf":
        image = _first_pdf_page(data)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked at upload already
            image = Image.open(io.BytesIO(data))
            image.draft("RGB", (WIDTH * 2, WIDTH * 4))  # JPEG: decode at a reduced size, much faster
            image = image.convert("RGB")
    image.thumbnail((WIDTH, WIDTH * 2))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _first_pdf_page(data: bytes) -> Image.Image:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        scale = WIDTH / max(page.get_width(), 1)
        return page.render(scale=scale * 1.0).to_pil().convert("RGB")
    finally:
        document.close()
