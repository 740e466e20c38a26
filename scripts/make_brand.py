"""Draw the integration's brand images (icon and logo) into custom_components/.../brand.

Run with ``scripts/setup`` done: ``.venv`` Python has Pillow (a Home Assistant
dependency). The images are committed; this script is how they were made.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "smart_charging" / "brand"
GREEN = (24, 160, 110, 255)
WHITE = (255, 255, 255, 255)


def icon(size: int) -> Image.Image:
    """A green rounded square with a white plug and a lightning bolt."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    s = size / 256
    draw.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=48 * s, fill=GREEN)
    # The plug's body and pins.
    draw.rounded_rectangle((78 * s, 92 * s, 178 * s, 170 * s), radius=18 * s, fill=WHITE)
    draw.rectangle((100 * s, 52 * s, 114 * s, 92 * s), fill=WHITE)
    draw.rectangle((142 * s, 52 * s, 156 * s, 92 * s), fill=WHITE)
    draw.rectangle((120 * s, 170 * s, 136 * s, 214 * s), fill=WHITE)
    # The bolt, cut out of the body.
    bolt = [(134, 100), (104, 136), (126, 136), (116, 164), (152, 122), (128, 122), (140, 100)]
    draw.polygon([(x * s, y * s) for x, y in bolt], fill=GREEN)
    return image


def logo(height: int) -> Image.Image:
    """The icon with the name beside it."""
    mark = icon(height)
    width = height * 4
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste(mark, (0, 0), mark)
    draw = ImageDraw.Draw(image)
    draw.text((height * 1.15, height * 0.3), "Smart Charging", fill=GREEN, font_size=height // 3)
    box = image.getbbox()
    return image.crop((0, 0, box[2] + height // 8, height)) if box else image


def main() -> None:
    """Write icon.png, icon@2x.png, logo.png and logo@2x.png."""
    BRAND.mkdir(parents=True, exist_ok=True)
    icon(256).save(BRAND / "icon.png")
    icon(512).save(BRAND / "icon@2x.png")
    logo(128).save(BRAND / "logo.png")
    logo(256).save(BRAND / "logo@2x.png")


if __name__ == "__main__":
    main()
