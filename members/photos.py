"""Profile photos: checked by their content, shrunk and re-encoded so no metadata survives."""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 512
# Refuse images whose pixel count could exhaust memory once decoded (a "decompression bomb").
MAX_PIXELS = 40_000_000


def photo_process(uploaded) -> ContentFile:
    """Return a clean WebP copy of an uploaded JPEG, PNG or WebP photo, at most 512 px a side.

    The format is decided by Pillow reading the bytes, never by the file name or the browser's
    declared type; re-encoding drops EXIF (GPS position, camera) and anything else hidden inside.
    """
    max_bytes = settings.PROFILE_PHOTO_MAX_BYTES
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Cette image est trop lourde (%(size)s) : la taille maximale est de %(max)s."),
            code="too_large",
            params={"size": filesizeformat(uploaded.size), "max": filesizeformat(max_bytes)},
        )
    refused = ValidationError(
        _("Ce fichier n'est pas une image acceptée. Envoyez une photo au format JPEG, PNG ou WebP."),
        code="invalid_image",
    )
    uploaded.seek(0)
    data = uploaded.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise refused
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(
                        _("Cette image est trop grande en pixels. Réduisez-la avant de l'envoyer."),
                        code="too_many_pixels",
                    )
                probe.verify()
            # verify() leaves the image unusable: open it again to decode it.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGBA" if _has_alpha(image) else "RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                output = io.BytesIO()
                image.save(output, format="WEBP", quality=85, method=4)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise refused from None
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.webp")


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
