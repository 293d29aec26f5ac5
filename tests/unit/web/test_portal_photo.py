"""Return photos (returns portal): recognised by content, re-encoded as a fresh JPEG without
metadata and scaled down, refused when not an image; stored only under the uploads dir."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from PIL import Image
from starlette.datastructures import UploadFile

from podium.config import Settings
from podium.web.portal_photo import PhotoRefused, photo_path, read_photo


def _upload(data: bytes, name: str = "photo.png") -> UploadFile:
    return UploadFile(io.BytesIO(data), filename=name)


def _image(fmt: str, size: tuple[int, int] = (40, 30), **kw: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, fmt, **kw)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_an_image_is_reencoded_as_jpeg(fmt: str) -> None:
    jpeg = asyncio.run(read_photo(_upload(_image(fmt), "x.bin")))
    assert jpeg is not None
    with Image.open(io.BytesIO(jpeg)) as image:
        assert (image.format, image.size) == ("JPEG", (40, 30))


def test_exif_such_as_a_gps_position_is_dropped() -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    jpeg = asyncio.run(read_photo(_upload(_image("JPEG", exif=exif.tobytes()))))
    assert jpeg is not None
    with Image.open(io.BytesIO(jpeg)) as image:
        assert dict(image.getexif()) == {}


def test_a_large_photo_is_scaled_down() -> None:
    jpeg = asyncio.run(read_photo(_upload(_image("PNG", (4000, 1000)))))
    assert jpeg is not None
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.size == (2048, 512)


@pytest.mark.parametrize(
    "data",
    [b"<script>alert(1)</script>", b"%PDF-1.4 not a photo", _image("PNG")[:40], _image("TIFF")],
)
def test_anything_but_a_whole_supported_image_is_refused(data: bytes) -> None:
    with pytest.raises(PhotoRefused) as refused:
        asyncio.run(read_photo(_upload(data, "photo.jpg")))
    assert refused.value.status == 422


def test_no_file_is_no_photo() -> None:
    assert asyncio.run(read_photo(None)) is None
    assert asyncio.run(read_photo("text")) is None
    assert asyncio.run(read_photo(_upload(b"", ""))) is None


def test_photos_live_under_the_uploads_dir_and_ids_cannot_climb_out(tmp_path: Path) -> None:
    settings = Settings(uploads_dir=str(tmp_path))
    assert photo_path(settings, "rma_01ABC") == tmp_path / "returns" / "rma_01ABC" / "photo.jpg"
    for bad in ("../etc", "rma/../../x", ""):
        with pytest.raises(ValueError):
            photo_path(settings, bad)
