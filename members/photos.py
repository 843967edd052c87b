"""Profile photos: checked by their content, shrunk and re-encoded so no metadata survives."""

import io
import math
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 512
# A phone photo has 12 to 24 megapixels. Beyond this bound decoding would cost too much memory and
# time: a "decompression bomb" is a few kilobytes of PNG announcing an immense image. The bound is
# checked on the dimensions read from the file's header, before any pixel is decoded.
MAX_PIXELS = 25_000_000


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
    too_many_pixels = ValidationError(
        _(
            "Cette image est trop grande : %(max)s mégapixels au plus (par exemple %(side)s × %(side)s pixels). "
            "Réduisez-la avant de l'envoyer."
        ),
        code="too_many_pixels",
        params={"max": MAX_PIXELS // 1_000_000, "side": math.isqrt(MAX_PIXELS)},
    )
    uploaded.seek(0)
    data = uploaded.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Opening reads the header only; Pillow's own, higher bound (Image.MAX_IMAGE_PIXELS) may
            # already refuse a giant there.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise refused
                if probe.width * probe.height > MAX_PIXELS:
                    raise too_many_pixels
                probe.verify()
            # verify() leaves the image unusable: open it again to decode it.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGBA" if _has_alpha(image) else "RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                output = io.BytesIO()
                image.save(output, format="WEBP", quality=85, method=4)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning):
        raise refused from None
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.webp")


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
