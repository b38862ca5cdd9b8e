"""Small bar charts rendered server-side as inline SVG.

The markup is built here from escaped text, so a template includes it as is.
Each chart is an image to assistive technology (`role="img"`) named by its
`<title>` and described, bar by bar, by its `<desc>`; every bar also shows its
label and count as text. Colours come from the stylesheet (classes only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

__all__ = ["Bar", "bar_chart"]

WIDTH = 240
ROW = 34  # height of one bar with its label above it
LABEL_Y = 13
BAR_Y = 18
BAR_HEIGHT = 11
COUNT_ROOM = 34  # room right of the longest bar for its count


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    lang: str | None = None  # `lang` of the label, when it is not the page's
    muted: bool = False  # drawn in grey: a remainder such as "no date"


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], unit: str = "results") -> Markup:
    """An SVG of horizontal bars, one per ``bars`` item, longest = largest count."""
    top = max((b.count for b in bars), default=0) or 1
    height = ROW * len(bars) + 4
    span = WIDTH - COUNT_ROOM
    ident = escape(chart_id)
    described = "; ".join(f"{b.label}: {b.count} {unit}" for b in bars)
    rows = [_row(i, b, max(2, round(span * b.count / top))) for i, b in enumerate(bars)]
    return Markup(
        f'<svg class="chart" id="{ident}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(described)}</desc>' + "".join(rows) + "</svg>"
    )


def _row(index: int, bar: Bar, length: int) -> str:
    lang = f' lang="{escape(bar.lang)}"' if bar.lang else ""
    kind = "chart-bar muted" if bar.muted else "chart-bar"
    return (
        f'<g transform="translate(0 {index * ROW})">'
        f'<text class="chart-label" x="0" y="{LABEL_Y}"{lang}>{escape(bar.label)}</text>'
        f'<rect class="{kind}" x="0" y="{BAR_Y}" width="{length}" height="{BAR_HEIGHT}" rx="2">'
        "</rect>"
        f'<text class="chart-count" x="{length + 5}" y="{BAR_Y + BAR_HEIGHT - 1}">'
        f"{bar.count}</text></g>"
    )
