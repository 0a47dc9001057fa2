"""The seal image: a round red seal with a five-pointed star in the middle and the unit's name
along the upper rim, as a PNG with a transparent background."""

import io
import math
import subprocess
from functools import cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 600
RED = (230, 0, 18, 255)
RIM = 18
STAR_RADIUS = 110


def generated_seal_png(name: str) -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = SIZE / 2
    outer = centre - RIM / 2 - 2
    draw.ellipse(
        [centre - outer, centre - outer, centre + outer, centre + outer], outline=RED, width=RIM
    )
    draw.polygon(_star(centre, centre, STAR_RADIUS), fill=RED)
    _name_along_rim(image, name, centre, outer - RIM - 50)
    return _png(image)


def uploaded_seal_png(data: bytes) -> bytes:
    """An uploaded seal image as a square PNG (raises OSError/ValueError when not an image)."""
    with Image.open(io.BytesIO(data)) as uploaded:
        uploaded.load()
        image = uploaded.convert("RGBA")
    side = max(image.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return _png(square.resize((SIZE, SIZE)))


def _name_along_rim(image: Image.Image, name: str, centre: float, radius: float) -> None:
    """Each character upright towards the centre, spread over the upper 240 degrees."""
    count = max(len(name), 1)
    size = int(min(86, max(44, 2 * math.pi * radius * (240 / 360) / count * 0.9)))
    font = ImageFont.truetype(_font_file(), size, index=2)
    span = min(240, count * 28)
    for index, character in enumerate(name):
        angle = -span / 2 + span * (index + 0.5) / count
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size, size), character, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        radians = math.radians(angle - 90)
        x = centre + radius * math.cos(radians)
        y = centre + radius * math.sin(radians)
        image.alpha_composite(glyph, (int(x - size), int(y - size)))


def _star(x: float, y: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for index in range(10):
        length = radius if index % 2 == 0 else radius * 0.382
        angle = math.radians(-90 + index * 36)
        points.append((x + length * math.cos(angle), y + length * math.sin(angle)))
    return points


@cache
def _font_file() -> str:
    # The heavy sans face of Noto CJK (index 2 of the collection is its simplified Chinese).
    return subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
