"""The focus indicator stands out 3:1 against every background the stylesheet paints
(issue 18; WCAG 1.4.11 Non-text Contrast, 2.4.7 Focus Visible, technique C40: a two-colour
indicator whose colours differ 9:1 from each other, so one of them has 3:1 against any
background).

Colours are read from static/css/site.css as written; the formulas are WCAG 2.2's own
(definitions of "relative luminance" and "contrast ratio").
"""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).parent.parent / "static/css/site.css").read_text()
HEX = r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b"


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour written #rgb or #rrggbb."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    """WCAG 2.2 contrast ratio: (L1 + 0.05) / (L2 + 0.05), the lighter over the darker."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def resolve(value: str) -> str | None:
    """A colour as written (#hex, white, var(--name)), as #hex; None for anything else."""
    value = value.strip()
    if match := re.fullmatch(r"var\((--[\w-]+)\)", value):
        declared = re.search(rf"{match.group(1)}:\s*([^;]+);", CSS)
        return resolve(declared.group(1)) if declared else None
    if value in ("white", "#fff"):
        return "#ffffff"
    return value if re.fullmatch(HEX, value) else None


def focus_rule() -> str:
    """The declarations of the rule for :focus-visible that draws the outline."""
    rules = re.findall(r"([^{}]*:focus-visible[^{}]*)\{([^}]*)\}", CSS)
    drawing = [body for _, body in rules if "outline:" in body]
    assert len(drawing) == 1, "one rule draws every focus indicator"
    return drawing[0]


def indicator() -> tuple[str, str]:
    """(outer ring, inner ring): the outline's colour and the box-shadow ring's colour."""
    rule = focus_rule()
    outline = re.search(r"outline:\s*\d+px solid ([^;]+);", rule).group(1)
    ring = re.search(r"box-shadow:\s*0 0 0 \d+px ([^;]+);", rule).group(1)
    return resolve(outline), resolve(ring)


def backgrounds() -> set[str]:
    """Every background colour the stylesheet paints, and the page's own."""
    found = {resolve(v) for v in re.findall(r"background(?:-color)?:\s*([^;}\s]+)", CSS)}
    page = resolve(re.search(r":root\s*\{[^}]*?\bbackground:\s*([^;]+);", CSS).group(1))
    return {colour for colour in found | {page, "#ffffff"} if colour}


def test_the_formulas_give_wcags_own_figures():
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # WCAG's oft-quoted grey
    assert contrast("#abc", "#aabbcc") == 1.0
    # The measure of the old yellow outline against the page: 1.8:1.
    assert round(contrast("#f2b705", "#fdfcfa"), 1) == 1.8


def test_the_reading_of_the_stylesheet_finds_its_backgrounds():
    found = backgrounds()
    # The quick-exit bar, the safety banner, buttons, the exit button, the page itself.
    assert {"#f1ede6", "#eef4f6", "#1f5f7a", "#8a1c1c", "#fdfcfa"} <= found
    assert len(found) >= 10


def test_the_two_rings_differ_nine_to_one():
    outer, inner = indicator()
    assert outer
    assert inner
    assert contrast(outer, inner) >= 9


def test_one_ring_stands_three_to_one_against_every_background():
    outer, inner = indicator()
    weak = {
        bg: (round(contrast(outer, bg), 2), round(contrast(inner, bg), 2))
        for bg in sorted(backgrounds())
        if max(contrast(outer, bg), contrast(inner, bg)) < 3
    }
    assert weak == {}


def test_no_other_rule_replaces_the_indicator():
    """Only the one rule sets an outline or removes it on focus."""
    focus_rules = re.findall(r"([^{}]*:focus[^{}]*)\{([^}]*)\}", CSS)
    others = [sel.strip() for sel, body in focus_rules if "outline" in body]
    assert len(others) == 1, others
