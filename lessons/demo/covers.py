"""Cover pictures for demo modules, drawn with Pillow so the repository ships no binary images."""

import io

from PIL import Image as PILImage
from PIL import ImageDraw

SIZE = (960, 540)


def _phone(draw, cx, cy):
    draw.rounded_rectangle([cx - 90, cy - 170, cx + 90, cy + 170], radius=26, outline="white", width=14)
    draw.ellipse([cx - 14, cy + 122, cx + 14, cy + 150], fill="white")
    draw.line([cx - 30, cy - 145, cx + 30, cy - 145], fill="white", width=10)


def _shield(draw, cx, cy):
    draw.polygon(
        [
            (cx, cy - 170),
            (cx + 140, cy - 110),
            (cx + 120, cy + 60),
            (cx, cy + 170),
            (cx - 120, cy + 60),
            (cx - 140, cy - 110),
        ],
        outline="white",
        width=14,
    )
    draw.line([(cx - 55, cy), (cx - 10, cy + 50), (cx + 65, cy - 50)], fill="white", width=18)


def _building(draw, cx, cy):
    draw.polygon([(cx - 170, cy - 70), (cx, cy - 170), (cx + 170, cy - 70)], outline="white", width=14)
    for offset in (-120, -40, 40, 120):
        draw.rectangle([cx + offset - 18, cy - 50, cx + offset + 18, cy + 120], fill="white")
    draw.rectangle([cx - 180, cy + 135, cx + 180, cy + 160], fill="white")


def _generic(draw, cx, cy):
    draw.ellipse([cx - 150, cy - 150, cx + 150, cy + 150], outline="white", width=14)


SYMBOLS = {"phone": _phone, "shield": _shield, "building": _building}


def cover_png(*, color: str, symbol: str) -> bytes:
    image = PILImage.new("RGB", SIZE, color)
    draw = ImageDraw.Draw(image)
    # A few soft circles give the card some depth without text (text would need translating).
    draw.ellipse([-160, 300, 260, 720], fill=_mix(color, 0.12))
    draw.ellipse([700, -200, 1120, 220], fill=_mix(color, 0.12))
    SYMBOLS.get(symbol, _generic)(draw, SIZE[0] // 2, SIZE[1] // 2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _mix(color: str, amount: float) -> tuple:
    red, green, blue = (int(color[index : index + 2], 16) for index in (1, 3, 5))
    return tuple(int(channel + (255 - channel) * amount) for channel in (red, green, blue))
