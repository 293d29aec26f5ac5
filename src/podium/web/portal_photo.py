"""A photo a shopper adds to a return in the returns portal: read from the form with a size
limit, accepted only when Pillow recognises it as a JPEG, PNG, WebP or GIF image by its
content (never the file name or the browser's type), re-encoded as a fresh JPEG (dropping
metadata such as GPS positions, and anything hidden in the original file), and stored outside
the web root under ``<uploads_dir>/returns/<return id>/photo.jpg``. Staff see it on the
return's page (``/returns/{id}/photo.jpg``, staff session only)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from starlette.datastructures import UploadFile

from podium import shopper
from podium.config import Settings

__all__ = [
    "PHOTO_BODY_BYTES",
    "PHOTO_MAX_BYTES",
    "PhotoRefused",
    "photo_path",
    "read_photo",
    "save_photo",
]

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_BODY_BYTES = PHOTO_MAX_BYTES + 64 * 1024  # the form's other fields fit in the rest
MAX_SIDE = 2048  # pixels; larger photos are scaled down
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})


class PhotoRefused(Exception):
    def __init__(self, words: str, status: int = 422) -> None:
        super().__init__(words)
        self.words = words  # English, marked for the catalogues; the page translates it
        self.status = status


def _reencode(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise PhotoRefused(shopper.N_("The photo must be a JPEG, PNG, WebP or GIF image."))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(shopper.N_("The photo is too large (8 MB at most)."), 413)
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoRefused(shopper.N_("The photo must be a JPEG, PNG, WebP or GIF image.")) from exc
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


async def read_photo(field: object) -> bytes | None:
    """The form's ``photo`` re-encoded as JPEG, None when none was sent; PhotoRefused for a
    file that is too large or not an image."""
    if not isinstance(field, UploadFile) or not field.filename:
        return None
    data = await field.read(PHOTO_MAX_BYTES + 1)
    if not data:
        return None
    if len(data) > PHOTO_MAX_BYTES:
        raise PhotoRefused(shopper.N_("The photo is too large (8 MB at most)."), 413)
    return _reencode(data)


def photo_path(settings: Settings, return_id: str) -> Path:
    if not return_id.replace("_", "").isalnum():
        raise ValueError(f"not a return id: {return_id!r}")
    return Path(settings.uploads_dir).resolve() / "returns" / return_id / "photo.jpg"


def save_photo(settings: Settings, return_id: str, jpeg: bytes) -> None:
    path = photo_path(settings, return_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(jpeg)
    partial.replace(path)
