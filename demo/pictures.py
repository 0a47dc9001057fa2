"""Pictures for the demo news, drawn here (the intranet has no internet): a landscape in the
picture's own colours, with no text in it, so every crop (the carousel's wide one, the lists'
small ones) shows a whole picture and the caption stays in the page, where it can be read."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

IMAGE_SIZE = (960, 540)
# (top colour, bottom colour) of each picture's gradient
PALETTES = [
    ((23, 64, 128), (96, 156, 214)),
    ((120, 24, 24), (214, 112, 64)),
    ((22, 96, 64), (132, 196, 120)),
    ((64, 48, 112), (160, 132, 208)),
    ((40, 40, 48), (148, 148, 156)),
    ((150, 96, 20), (236, 196, 96)),
]


def demo_image(caption: str, name: str):
    """The picture titled after its caption, drawn once."""
    Image = get_image_model()
    title = f"演示图片：{caption}"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    content = draw_picture(seed=sum(map(ord, name)))
    image = Image(title=title, file=ImageFile(io.BytesIO(content), name=f"demo-{name}.jpg"))
    image._set_image_file_metadata()
    image.save()
    return image


def draw_picture(*, seed: int) -> bytes:
    width, height = IMAGE_SIZE
    top, bottom = PALETTES[seed % len(PALETTES)]
    picture = PillowImage.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        share = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)),
        )
    # Hills and a sun: enough shape that the pictures can be told apart.
    for step in range(3):
        offset = (seed * (step + 3)) % 240
        shade = tuple(max(channel - 30 * (step + 1), 0) for channel in bottom)
        draw.ellipse(
            [
                offset - 200 + step * 260,
                height - 180 + step * 30,
                offset + 420 + step * 260,
                height + 260,
            ],
            fill=shade,
        )
    # The sun stays in the band every crop keeps (the carousel's fill-800x360 keeps rows 54-486).
    sun_x = 120 + (seed * 37) % (width - 240)
    draw.ellipse([sun_x, 120, sun_x + 100, 220], fill=(250, 232, 170))
    output = io.BytesIO()
    picture.save(output, format="JPEG", quality=85)
    return output.getvalue()
