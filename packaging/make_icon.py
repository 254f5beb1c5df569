"""Draw the RareTrace icon: a teal tile with a white phenotype trace running into an amber magnifier.

    python packaging/make_icon.py    # writes packaging/icons/raretrace.{svg,png,ico} (and .icns), resources/icons/raretrace.png

One set of coordinates (a 256-unit square) drives both the SVG and the raster images.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent / "icons"
TILE, TEAL, WHITE, AMBER = 256, "#0E6B74", "#FFFFFF", "#F2A33A"
RADIUS = 52
TRACE = [(26, 164), (62, 164), (80, 124), (100, 200), (122, 86), (142, 164), (150, 164)]
LENS_CENTRE, LENS_R = (174, 112), 44
HANDLE = [(206, 144), (234, 172)]


def svg() -> str:
    points = " ".join(f"{x},{y}" for x, y in TRACE)
    (cx, cy), (h0, h1) = LENS_CENTRE, HANDLE
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{TILE}" height="{TILE}" viewBox="0 0 {TILE} {TILE}">
  <title>RareTrace</title>
  <rect width="{TILE}" height="{TILE}" rx="{RADIUS}" fill="{TEAL}"/>
  <polyline points="{points}" fill="none" stroke="{WHITE}" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="{cx}" cy="{cy}" r="{LENS_R}" fill="none" stroke="{AMBER}" stroke-width="14"/>
  <line x1="{h0[0]}" y1="{h0[1]}" x2="{h1[0]}" y2="{h1[1]}" stroke="{AMBER}" stroke-width="20" stroke-linecap="round"/>
</svg>
"""


def raster(size: int) -> Image.Image:
    k = 4 * size / TILE  # drawn at 4x, then reduced: smooth edges without a vector renderer
    big = Image.new("RGBA", (4 * size, 4 * size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)

    def s(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * k, p[1] * k)

    draw.rounded_rectangle((0, 0, TILE * k - 1, TILE * k - 1), radius=RADIUS * k, fill=TEAL)
    draw.line([s(p) for p in TRACE], fill=WHITE, width=round(14 * k), joint="curve")
    for end in (TRACE[0], TRACE[-1]):
        r = 7 * k
        draw.ellipse((end[0] * k - r, end[1] * k - r, end[0] * k + r, end[1] * k + r), fill=WHITE)
    cx, cy = s(LENS_CENTRE)
    r_out, r_in = (LENS_R + 7) * k, (LENS_R - 7) * k
    draw.ellipse((cx - r_out, cy - r_out, cx + r_out, cy + r_out), fill=AMBER)
    draw.ellipse((cx - r_in, cy - r_in, cx + r_in, cy + r_in), fill=TEAL)
    draw.line([s(HANDLE[0]), s(HANDLE[1])], fill=AMBER, width=round(20 * k))
    for end in HANDLE:
        r = 10 * k
        draw.ellipse((end[0] * k - r, end[1] * k - r, end[0] * k + r, end[1] * k + r), fill=AMBER)
    return big.resize((size, size), Image.LANCZOS)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "raretrace.svg").write_text(svg(), encoding="utf-8")
    image = raster(512)
    image.resize((256, 256), Image.LANCZOS).save(HERE / "raretrace.png")
    # the window icon the application sets at run time (resources/ travels with every install)
    (HERE.parents[1] / "resources" / "icons").mkdir(exist_ok=True)
    image.resize((256, 256), Image.LANCZOS).save(HERE.parents[1] / "resources" / "icons" / "raretrace.png")
    image.save(HERE / "raretrace.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    image.save(HERE / "raretrace.icns")


if __name__ == "__main__":
    main()
