"""Original illustrations for the demo newsroom, drawn with Pillow when the demo loads.

The demo needs pictures a newsroom would recognise as a front page, and they must be ours to
give away: these are flat, editorial-style illustrations (a section's scene, its palette, a
time of day) drawn from code, so the repository ships no binary image and no third-party
photo. They are released under CC0 1.0 with the rest of the demo content (see
akhbar/demo/data/IMAGES.md). Each comes with Arabic alt text, a caption and a credit.

Drawing is deterministic (seeded by the article's slug) and takes a few milliseconds per
image; the renditions the site makes from them are what costs time at load.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900
CREDIT = "استوديو أخبار، رخصة CC0"

Color = tuple[int, int, int]


@dataclass(frozen=True)
class Illustration:
    """One picture and the words that go with it."""

    jpeg: bytes
    alt: str
    caption: str
    credit: str = CREDIT


# Palettes by time of day: sky top, sky bottom, sun, far land, near land, accent.
PALETTES: dict[str, tuple[Color, ...]] = {
    "dawn": (
        (38, 56, 110), (246, 170, 120), (255, 226, 160), (92, 84, 130), (52, 48, 88), (230, 90, 70)
    ),
    "noon": (
        (70, 150, 215), (200, 230, 245), (255, 245, 200), (120, 170, 120), (70, 120, 80),
        (225, 70, 60),
    ),
    "dusk": (
        (40, 30, 80), (240, 120, 90), (255, 200, 120), (120, 60, 100), (60, 30, 70), (255, 190, 70)
    ),
    "night": (
        (10, 20, 50), (40, 70, 120), (240, 240, 210), (30, 45, 80), (15, 25, 50), (250, 200, 80)
    ),
    "sand": (
        (230, 180, 110), (250, 230, 190), (255, 250, 230), (200, 150, 90), (160, 110, 60),
        (40, 110, 130),
    ),
}  # fmt: skip


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _gradient(top: Color, bottom: Color, size: tuple[int, int] = (WIDTH, HEIGHT)) -> Image.Image:
    """A vertical gradient (Pillow's linear_gradient mask, so no per-pixel Python loop)."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _hills(
    draw: ImageDraw.ImageDraw, rng: random.Random, base: int, amp: int, color: Color
) -> None:
    points = [(0, HEIGHT)]
    phase, freq = rng.uniform(0, 6.3), rng.uniform(1.2, 2.6)
    for x in range(0, WIDTH + 40, 40):
        y = base - amp * (0.5 + 0.5 * math.sin(phase + freq * x / WIDTH * math.pi))
        points.append((x, round(y)))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=color)


def _sun(img: Image.Image, x: int, y: int, r: int, color: Color) -> None:
    glow = Image.new("L", img.size, 0)
    ImageDraw.Draw(glow).ellipse((x - r * 2, y - r * 2, x + r * 2, y + r * 2), fill=90)
    glow = glow.filter(ImageFilter.GaussianBlur(r // 2))
    img.paste(Image.new("RGB", img.size, color), mask=glow)
    ImageDraw.Draw(img).ellipse((x - r, y - r, x + r, y + r), fill=color)


def _skyline(
    draw: ImageDraw.ImageDraw, rng: random.Random, base: int, color: Color, lit: Color | None
) -> None:
    x = -20
    while x < WIDTH:
        w, h = rng.randint(60, 140), rng.randint(90, 330)
        draw.rectangle((x, base - h, x + w, base), fill=color)
        if rng.random() < 0.25:  # a dome or a minaret on some buildings
            draw.pieslice((x, base - h - w // 2, x + w, base - h + w // 2), 180, 360, fill=color)
        if lit:
            for wy in range(base - h + 20, base - 20, 34):
                for wx in range(x + 12, x + w - 16, 26):
                    if rng.random() < 0.45:
                        draw.rectangle((wx, wy, wx + 10, wy + 14), fill=lit)
        x += w + rng.randint(4, 20)


def _star(
    draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, color: Color, *, width: int = 3
) -> None:
    """An eight-pointed star (two squares), the commonest motif of Arabic geometric design."""
    for turn in (0, math.pi / 4):
        pts = [
            (cx + r * math.cos(turn + k * math.pi / 2), cy + r * math.sin(turn + k * math.pi / 2))
            for k in range(4)
        ]
        draw.polygon(pts, outline=color, width=width)


def _pattern(img: Image.Image, color: Color, step: int = 160, alpha: int = 60) -> None:
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    for row, y in enumerate(range(0, HEIGHT + step, step)):
        for x in range(-step, WIDTH + step, step):
            _star(d, x + (step // 2 if row % 2 else 0), y, step * 0.42, 255, width=4)  # type: ignore[arg-type]
    img.paste(Image.new("RGB", img.size, color), mask=layer.point(lambda v: v * alpha // 255))


# --- Scenes: each draws on a sky and returns (alt, caption) in Arabic -----------------------


def _scene_water(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(300, 1300), 230, 70, p[2])
    _hills(d, rng, 520, 160, p[3])
    _hills(d, rng, 600, 90, p[4])
    water_top = 640
    d.rectangle((0, water_top, WIDTH, HEIGHT), fill=_mix(p[0], (40, 110, 160), 0.6))
    for i in range(14):
        y = water_top + 20 + i * 18
        x0 = rng.randint(0, WIDTH - 400)
        d.line(
            (x0, y, x0 + rng.randint(120, 420), y), fill=_mix(p[1], (255, 255, 255), 0.5), width=3
        )
    # old water lines on the rocks: the level has dropped
    for k in range(3):
        d.line(
            (0, water_top - 30 - k * 22, WIDTH, water_top - 30 - k * 22),
            fill=_mix(p[3], (230, 220, 200), 0.5),
            width=4,
        )
    return (
        "رسم توضيحي لبحيرة بين تلال منخفضة وقد ظهرت على صخورها خطوط منسوب المياه القديمة",
        "رسم توضيحي: مياه البحيرة تنحسر بين التلال وتكشف خطوط المنسوب القديمة",
    )


def _scene_metro(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(200, 1400), 200, 60, p[2])
    _skyline(d, rng, 640, p[3], p[5] if p is PALETTES["night"] or p is PALETTES["dusk"] else None)
    d.rectangle((0, 640, WIDTH, HEIGHT), fill=p[4])
    # viaduct and train
    d.rectangle((0, 560, WIDTH, 590), fill=(60, 64, 72))
    for x in range(60, WIDTH, 220):
        d.rectangle((x, 590, x + 40, 900), fill=(70, 74, 84))
    tx = rng.randint(150, 500)
    for car in range(3):
        x = tx + car * 330
        d.rounded_rectangle((x, 450, x + 310, 560), radius=28, fill=(240, 240, 236))
        d.rectangle((x, 520, x + 310, 536), fill=p[5])
        for wx in range(x + 25, x + 290, 62):
            d.rounded_rectangle((wx, 470, wx + 44, 505), radius=6, fill=(40, 60, 90))
    return (
        "رسم توضيحي لقطار مترو أبيض بثلاث عربات يعبر جسراً مرتفعاً أمام مبانٍ المدينة",
        "رسم توضيحي: قطار المترو على الجسر المعلّق فوق شوارع المدينة",
    )


def _scene_stadium(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    d.rectangle((0, 380, WIDTH, HEIGHT), fill=(46, 130, 70))
    for i in range(0, WIDTH, 160):
        d.rectangle((i, 380, i + 80, HEIGHT), fill=(54, 145, 80))
    # stands and floodlights
    d.polygon([(0, 380), (WIDTH, 380), (WIDTH, 240), (0, 240)], fill=_mix(p[4], (30, 30, 40), 0.5))
    for row in range(5):
        y = 250 + row * 26
        for x in range(rng.randint(0, 14), WIDTH, 14):
            if rng.random() < 0.7:
                d.ellipse(
                    (x, y, x + 8, y + 8),
                    fill=rng.choice([p[5], (250, 250, 250), p[2], (30, 90, 170)]),
                )
    for lx in (140, WIDTH - 160):
        d.rectangle((lx, 40, lx + 12, 240), fill=(90, 90, 100))
        d.rectangle((lx - 40, 30, lx + 52, 70), fill=(250, 250, 220))
    d.line((WIDTH // 2, 380, WIDTH // 2, HEIGHT), fill=(235, 245, 235), width=6)
    d.ellipse((WIDTH // 2 - 160, 560, WIDTH // 2 + 160, 760), outline=(235, 245, 235), width=6)
    bx, by = rng.randint(500, 1100), rng.randint(600, 760)
    d.ellipse((bx, by, bx + 70, by + 70), fill=(250, 250, 250), outline=(30, 30, 30), width=3)
    _star(d, bx + 35, by + 35, 18, (30, 30, 30), width=4)
    return (
        "رسم توضيحي لملعب كرة قدم مضاء بالأنوار الكاشفة ومدرجات ممتلئة بالجماهير وكرة على العشب",
        "رسم توضيحي: مدرجات ممتلئة وأضواء كاشفة في ليلة المباراة",
    )


def _scene_track(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(300, 1300), 220, 80, p[2])
    _hills(d, rng, 480, 80, p[3])
    d.rectangle((0, 480, WIDTH, HEIGHT), fill=(196, 82, 58))
    for i in range(7):
        y = 500 + i * 60
        d.line((0, y, WIDTH, y - 120), fill=(245, 240, 235), width=5)
    x = rng.randint(500, 1000)
    # a runner, in flat shapes
    d.ellipse((x, 390, x + 60, 450), fill=(50, 40, 50))
    d.line((x + 30, 450, x - 10, 590), fill=(50, 40, 50), width=30)
    d.line((x - 10, 590, x + 80, 680), fill=(50, 40, 50), width=24)
    d.line((x - 10, 590, x - 110, 650), fill=(50, 40, 50), width=24)
    d.line((x + 20, 480, x + 120, 520), fill=(50, 40, 50), width=20)
    d.line((x + 20, 480, x - 80, 470), fill=(50, 40, 50), width=20)
    return (
        "رسم توضيحي لعدّاء ينطلق على مضمار أحمر بخطوط بيضاء تحت شمس الصباح",
        "رسم توضيحي: عدّاء على المضمار في سباق الصباح",
    )


def _scene_boat(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(300, 1300), 260, 90, p[2])
    _hills(d, rng, 560, 70, p[3])
    d.rectangle((0, 560, WIDTH, HEIGHT), fill=_mix(p[0], (30, 120, 170), 0.7))
    for i in range(20):
        y = 580 + i * 16
        x0 = rng.randint(0, WIDTH)
        d.line(
            (x0, y, x0 + rng.randint(80, 300), y), fill=_mix(p[1], (255, 255, 255), 0.6), width=3
        )
    x = rng.randint(300, 800)
    d.polygon([(x, 660), (x + 620, 660), (x + 560, 690), (x + 40, 690)], fill=p[5])
    for k in range(4):
        ox = x + 90 + k * 130
        d.ellipse((ox, 600, ox + 34, 634), fill=(40, 40, 50))
        d.line((ox + 17, 634, ox - 60, 720), fill=(120, 90, 60), width=8)
    return (
        "رسم توضيحي لقارب تجديف بأربعة مجدّفين على مياه هادئة عند الغروب",
        "رسم توضيحي: فريق التجديف في سباق على مياه الخليج",
    )


def _scene_court(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    d.rectangle((0, 0, WIDTH, HEIGHT), fill=(40, 44, 60))
    d.polygon([(0, 420), (WIDTH, 420), (WIDTH, HEIGHT), (0, HEIGHT)], fill=(214, 160, 100))
    for x in range(0, WIDTH, 70):
        d.line((x, 420, x - 120, HEIGHT), fill=(200, 146, 90), width=3)
    d.arc((WIDTH // 2 - 260, 520, WIDTH // 2 + 260, 1000), 180, 360, fill=(250, 250, 250), width=6)
    d.rectangle((WIDTH // 2 - 6, 120, WIDTH // 2 + 6, 420), fill=(200, 200, 210))
    d.rectangle((WIDTH // 2 - 120, 110, WIDTH // 2 + 120, 250), outline=(250, 250, 250), width=8)
    d.ellipse((WIDTH // 2 - 50, 240, WIDTH // 2 + 50, 270), outline=p[5], width=8)
    bx = WIDTH // 2 + rng.randint(-300, 300)
    d.ellipse((bx - 45, 300, bx + 45, 390), fill=(230, 110, 40), outline=(60, 30, 20), width=4)
    d.line((bx - 45, 345, bx + 45, 345), fill=(60, 30, 20), width=4)
    return (
        "رسم توضيحي لسلة كرة سلة فوق أرضية خشبية وكرة برتقالية في الهواء",
        "رسم توضيحي: كرة في طريقها إلى السلة في صالة المباريات",
    )


def _scene_tech(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    img.paste(_gradient((12, 24, 48), (20, 60, 90)))
    glow = p[5] if p[5] != (225, 70, 60) else (80, 220, 200)
    nodes = [(rng.randint(60, WIDTH - 60), rng.randint(60, HEIGHT - 60)) for _ in range(38)]
    for a in nodes:
        b = rng.choice(nodes)
        d.line((a[0], a[1], b[0], a[1]), fill=(40, 110, 140), width=4)
        d.line((b[0], a[1], b[0], b[1]), fill=(40, 110, 140), width=4)
    for x, y in nodes:
        d.ellipse((x - 10, y - 10, x + 10, y + 10), fill=glow)
    cx, cy = WIDTH // 2, HEIGHT // 2
    d.rounded_rectangle(
        (cx - 170, cy - 170, cx + 170, cy + 170),
        radius=24,
        fill=(28, 36, 52),
        outline=glow,
        width=6,
    )
    for k in range(-3, 4):
        for side in (-1, 1):
            d.line((cx + k * 44, cy + side * 170, cx + k * 44, cy + side * 230), fill=glow, width=8)
            d.line((cx + side * 170, cy + k * 44, cx + side * 230, cy + k * 44), fill=glow, width=8)
    _star(d, cx, cy, 90, glow, width=6)
    return (
        "رسم توضيحي لشريحة إلكترونية تتوسط لوحة دوائر مضيئة بخطوط زرقاء",
        "رسم توضيحي: شريحة حاسوب وسط شبكة من الدوائر الإلكترونية",
    )


def _scene_books(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    img.paste(_gradient((250, 240, 220), (235, 215, 185)))
    _pattern(img, (200, 150, 90), 180, 50)
    d.rectangle((0, 700, WIDTH, HEIGHT), fill=(130, 90, 60))
    colours = [
        (170, 40, 50),
        (30, 90, 130),
        (40, 120, 90),
        (210, 150, 40),
        (90, 60, 120),
        (30, 30, 40),
    ]
    x = 140
    while x < WIDTH - 160:
        w, h = rng.randint(50, 90), rng.randint(300, 480)
        c = rng.choice(colours)
        d.rectangle((x, 700 - h, x + w, 700), fill=c)
        d.rectangle((x + 8, 700 - h + 40, x + w - 8, 700 - h + 56), fill=(240, 210, 120))
        d.rectangle((x + 8, 700 - 60, x + w - 8, 700 - 48), fill=(240, 210, 120))
        x += w + rng.randint(2, 10)
    return (
        "رسم توضيحي لرفّ طويل من الكتب الملونة أمام جدار مزخرف بنجوم هندسية",
        "رسم توضيحي: رفوف الكتب في أجنحة المعرض",
    )


def _scene_arches(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    img.paste(_gradient(p[0], p[1]))
    _pattern(img, p[2], 150, 40)
    stone = (236, 220, 190)
    d.rectangle((0, 250, WIDTH, HEIGHT), fill=stone)
    for k in range(5):
        x = 60 + k * 310
        d.rectangle((x, 380, x + 230, 820), fill=_mix(p[0], (30, 40, 60), 0.4))
        d.pieslice((x, 265, x + 230, 495), 180, 360, fill=_mix(p[0], (30, 40, 60), 0.4))
        _star(d, x + 115, 330, 30, p[5], width=5)
    d.rectangle((0, 820, WIDTH, HEIGHT), fill=(180, 150, 110))
    for x in range(0, WIDTH, 80):
        d.rectangle((x, 820, x + 76, 860), outline=(150, 120, 90), width=3)
    return (
        "رسم توضيحي لرواق من خمسة أقواس حجرية تعلوها زخارف نجمية ثمانية",
        "رسم توضيحي: أقواس الفناء الحجري وزخارفه الهندسية",
    )


def _scene_hospital(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(1100, 1400), 180, 70, p[2])
    _hills(d, rng, 640, 60, p[3])
    d.rectangle((0, 700, WIDTH, HEIGHT), fill=p[4])
    x0, x1 = 360, 1240
    d.rectangle((x0, 260, x1, 720), fill=(246, 246, 242))
    for wy in range(300, 640, 80):
        for wx in range(x0 + 40, x1 - 60, 90):
            d.rectangle((wx, wy, wx + 52, wy + 50), fill=(120, 170, 210))
    d.rectangle((720, 600, 880, 720), fill=(90, 120, 150))
    cx, cy = 800, 200
    d.ellipse((cx - 80, cy - 80, cx + 80, cy + 80), fill=(255, 255, 255))
    d.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), fill=(210, 40, 50))
    d.ellipse((cx - 30, cy - 64, cx + 80, cy + 56), fill=(255, 255, 255))
    return (
        "رسم توضيحي لمبنى مستشفى أبيض بنوافذ زرقاء يعلوه هلال أحمر",
        "رسم توضيحي: مبنى المستشفى وشارة الهلال الأحمر",
    )


def _scene_dome(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(200, 500), 200, 60, p[2])
    d.rectangle((0, 720, WIDTH, HEIGHT), fill=p[4])
    d.rectangle((300, 690, 1300, 740), fill=(220, 210, 190))
    d.rectangle((380, 430, 1220, 700), fill=(236, 228, 210))
    for x in range(420, 1200, 90):
        d.rectangle((x, 460, x + 36, 690), fill=(214, 204, 184))
    d.polygon([(360, 430), (800, 330), (1240, 430)], fill=(220, 210, 190))
    d.pieslice((600, 140, 1000, 540), 180, 360, fill=_mix(p[5], (40, 120, 130), 0.7))
    d.rectangle((796, 60, 804, 140), fill=(200, 170, 80))
    d.ellipse((784, 40, 816, 72), fill=(220, 190, 90))
    for x in (200, 1400):
        d.rectangle((x, 560, x + 6, 720), fill=(90, 90, 90))
        d.rectangle(
            (x + 6, 560, x + 90, 610), fill=rng.choice([(30, 120, 80), p[5], (30, 80, 150)])
        )
    return (
        "رسم توضيحي لمبنى مجلس بقبة خضراء وأعمدة بيضاء ورايات ترفرف أمامه",
        "رسم توضيحي: مبنى المجلس وقبته في ساعات الصباح",
    )


def _scene_port(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(900, 1400), 220, 70, p[2])
    d.rectangle((0, 640, WIDTH, HEIGHT), fill=_mix(p[0], (30, 90, 140), 0.7))
    d.rectangle((0, 600, WIDTH, 650), fill=(80, 80, 90))
    colours = [(200, 60, 50), (40, 100, 160), (230, 170, 40), (60, 140, 90), (120, 120, 130)]
    for row in range(4):
        for x in range(120 + row * 20, 1000, 110):
            d.rectangle(
                (x, 560 - row * 50, x + 104, 600 - row * 50),
                fill=rng.choice(colours),
                outline=(40, 40, 40),
                width=2,
            )
    for cx in (1100, 1350):
        d.rectangle((cx, 200, cx + 24, 600), fill=(230, 120, 40))
        d.rectangle((cx - 200, 200, cx + 140, 226), fill=(230, 120, 40))
        d.line((cx + 12, 110, cx - 190, 200), fill=(230, 120, 40), width=8)
        d.line((cx + 12, 110, cx + 140, 200), fill=(230, 120, 40), width=8)
        d.line((cx - 120, 226, cx - 120, 420), fill=(60, 60, 60), width=4)
    return (
        "رسم توضيحي لرصيف ميناء تتكدس عليه حاويات ملونة ورافعتان برتقاليتان",
        "رسم توضيحي: حاويات ورافعات على رصيف الميناء",
    )


def _scene_solar(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    _sun(img, rng.randint(300, 1300), 180, 90, p[2])
    _hills(d, rng, 500, 60, p[3])
    d.rectangle((0, 500, WIDTH, HEIGHT), fill=p[4])
    for row in range(4):
        y = 540 + row * 90
        for x in range(-60 + row * 30, WIDTH, 190):
            d.polygon(
                [(x, y + 60), (x + 170, y + 60), (x + 200, y), (x + 30, y)],
                fill=(30, 60, 120),
                outline=(180, 200, 230),
            )
            d.line((x + 100, y + 60, x + 115, y), fill=(180, 200, 230), width=2)
    return (
        "رسم توضيحي لصفوف من الألواح الشمسية الزرقاء في سهل واسع تحت شمس قوية",
        "رسم توضيحي: حقل ألواح شمسية في السهل",
    )


def _scene_chart(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    img.paste(_gradient((20, 36, 64), (34, 70, 100)))
    for y in range(160, 800, 80):
        d.line((120, y, WIDTH - 120, y), fill=(60, 90, 120), width=2)
    value = 500
    points = []
    for i, x in enumerate(range(160, WIDTH - 140, 110)):
        h = rng.randint(120, 520)
        d.rectangle((x, 800 - h, x + 60, 800), fill=(50, 110, 150) if i % 2 else (60, 130, 170))
        value = max(200, min(720, value + rng.randint(-90, 70)))
        points.append((x + 30, 900 - value))
    d.line(points, fill=(250, 200, 80), width=8, joint="curve")
    for x, y in points:
        d.ellipse((x - 10, y - 10, x + 10, y + 10), fill=(250, 200, 80))
    return (
        "رسم توضيحي لرسم بياني بأعمدة زرقاء يقطعها خط ذهبي متعرّج",
        "رسم توضيحي: مؤشرات السوق على لوحة بيانية",
    )


def _scene_ballot(
    img: Image.Image, d: ImageDraw.ImageDraw, rng: random.Random, p: tuple[Color, ...]
) -> tuple[str, str]:
    img.paste(_gradient((235, 238, 242), (210, 216, 226)))
    _pattern(img, (150, 160, 180), 170, 45)
    d.polygon(
        [(520, 420), (1080, 420), (1140, 820), (460, 820)],
        fill=(250, 250, 252),
        outline=(90, 100, 120),
        width=6,
    )
    d.rectangle((480, 380, 1120, 430), fill=(40, 110, 90))
    d.rectangle((700, 395, 900, 412), fill=(20, 40, 40))
    d.polygon(
        [(720, 140), (900, 170), (870, 400), (690, 370)],
        fill=(255, 255, 255),
        outline=(120, 120, 140),
        width=4,
    )
    d.line((740, 230, 840, 246), fill=(90, 100, 120), width=6)
    d.line((736, 270, 830, 285), fill=(90, 100, 120), width=6)
    d.line((760, 320, 790, 350), fill=p[5], width=10)
    d.line((790, 350, 850, 290), fill=p[5], width=10)
    _star(d, 800, 620, 80, (40, 110, 90), width=8)
    return (
        "رسم توضيحي لصندوق اقتراع شفاف تسقط فيه ورقة تحمل علامة اختيار",
        "رسم توضيحي: ورقة اقتراع في طريقها إلى الصندوق",
    )


Scene = Callable[
    [Image.Image, ImageDraw.ImageDraw, random.Random, tuple[Color, ...]], tuple[str, str]
]

SCENES: dict[str, Scene] = {
    "water": _scene_water,
    "metro": _scene_metro,
    "stadium": _scene_stadium,
    "track": _scene_track,
    "boat": _scene_boat,
    "court": _scene_court,
    "tech": _scene_tech,
    "books": _scene_books,
    "arches": _scene_arches,
    "hospital": _scene_hospital,
    "dome": _scene_dome,
    "port": _scene_port,
    "solar": _scene_solar,
    "chart": _scene_chart,
    "ballot": _scene_ballot,
}

# The section's usual scene when an article names none.
SECTION_SCENES = {
    "politics": "dome",
    "economy": "chart",
    "sports": "track",
    "football": "stadium",
    "culture": "arches",
    "books": "books",
    "technology": "tech",
    "health": "hospital",
    "local": "metro",
}


def illustrate(scene: str, seed: str, *, width: int = WIDTH, quality: int = 84) -> Illustration:
    """Draw ``scene`` (a key of SCENES) with a palette and layout chosen by ``seed``."""
    rng = random.Random(seed)
    palette = PALETTES[rng.choice(sorted(PALETTES))]
    img = _gradient(palette[0], palette[1])
    alt, caption = SCENES[scene](img, ImageDraw.Draw(img), rng, palette)
    if width != WIDTH:
        img = img.resize((width, round(HEIGHT * width / WIDTH)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return Illustration(out.getvalue(), alt, caption)


# Columnists' portraits: a flat bust on a patterned disc, one colour scheme each.
PORTRAIT_COLOURS: list[tuple[Color, Color, Color]] = [
    ((179, 18, 27), (250, 226, 200), (40, 40, 50)),
    ((11, 79, 138), (236, 200, 170), (60, 40, 30)),
    ((30, 110, 80), (210, 170, 140), (30, 30, 30)),
    ((120, 70, 140), (240, 210, 180), (70, 50, 40)),
]


def portrait(seed: str, index: int, *, size: int = 256, scarf: bool = False) -> bytes:
    """A square, flat illustrated portrait (JPEG) for an author's byline and columnist block."""
    bg, skin, hair = PORTRAIT_COLOURS[index % len(PORTRAIT_COLOURS)]
    img = _gradient(_mix(bg, (255, 255, 255), 0.25), bg, (size, size))
    d = ImageDraw.Draw(img)
    s = size / 400
    for k in range(3):
        _star(
            d,
            200 * s,
            200 * s,
            (150 + k * 40) * s,
            _mix(bg, (255, 255, 255), 0.35),
            width=max(2, round(3 * s)),
        )
    d.ellipse((70 * s, 300 * s, 330 * s, 520 * s), fill=(245, 245, 240))  # shoulders
    d.polygon(
        [(170 * s, 300 * s), (230 * s, 300 * s), (200 * s, 370 * s)], fill=_mix(bg, (0, 0, 0), 0.3)
    )
    d.rectangle((178 * s, 240 * s, 222 * s, 310 * s), fill=skin)  # neck
    if scarf:
        d.ellipse((110 * s, 90 * s, 290 * s, 300 * s), fill=hair)
        d.polygon(
            [(110 * s, 200 * s), (290 * s, 200 * s), (320 * s, 340 * s), (80 * s, 340 * s)],
            fill=hair,
        )
    else:
        d.ellipse((125 * s, 90 * s, 275 * s, 220 * s), fill=hair)
    d.ellipse((135 * s, 110 * s, 265 * s, 270 * s), fill=skin)  # face
    d.ellipse((168 * s, 175 * s, 182 * s, 189 * s), fill=(40, 40, 40))
    d.ellipse((218 * s, 175 * s, 232 * s, 189 * s), fill=(40, 40, 40))
    d.arc(
        (175 * s, 200 * s, 225 * s, 240 * s),
        20,
        160,
        fill=(150, 60, 60),
        width=max(2, round(4 * s)),
    )
    if not scarf:
        d.pieslice((130 * s, 80 * s, 270 * s, 200 * s), 180, 360, fill=hair)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
