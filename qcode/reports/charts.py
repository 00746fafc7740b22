"""Charts as image files for a thesis (PNG or SVG), drawn with matplotlib (the optional `charts` extra).

`frequency_chart` draws the units each coder coded per code, as horizontal bars grouped by code: the
chart the statistics screen shows in the terminal. `agreement_chart` draws Krippendorff's alpha and
Cohen's kappa per code, with 95% intervals where the report has them and Krippendorff's 0.667 and
0.8 thresholds as reference lines.

Chinese labels need a CJK font: `find_cjk_font` looks for one among the fonts matplotlib knows, and
drawing refuses (with what to install) rather than write boxes in place of characters. SVG keeps its
text as text (editable in Word, WPS or Inkscape, searchable).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from qcode.agreement.figures import UnitAgreement
from qcode.agreement.labels import symbol_label
from qcode.errors import InputError
from qcode.i18n import _
from qcode.reports.statistics import CodeCoderCounts

CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Serif CJK SC",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "SimSun", "PingFang SC",
    "Heiti SC", "STHeiti", "Songti SC", "Hiragino Sans GB", "Noto Sans CJK JP", "Noto Sans CJK TC",
)
FORMATS = (".png", ".svg")
COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7")
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff]")


def find_cjk_font(installed: Sequence[str] | None = None) -> str | None:
    """The first known CJK font matplotlib can use, or None."""
    names = set(installed if installed is not None else (f.name for f in font_manager.fontManager.ttflist))
    return next((name for name in CJK_FONTS if name in names), None)


def needs_cjk(texts: Sequence[str]) -> bool:
    return any(_CJK.search(text) for text in texts)


def _figure(labels: Sequence[str], rows_per_label: int) -> tuple[Figure, Any]:
    """A figure tall enough for every label, with the fonts the labels need."""
    font = find_cjk_font() if needs_cjk(labels) else None
    if needs_cjk(labels) and font is None:
        raise InputError(_("no font with Chinese characters is installed, so the labels would show as boxes. "
                           "Install one (Debian/Ubuntu: sudo apt install fonts-noto-cjk; Fedora: "
                           "google-noto-sans-cjk-fonts; macOS and Windows have one); with coders named "
                           "in Latin letters, --lang en draws English code names without one"))
    height = max(2.5, 0.9 + 0.28 * len(labels) * max(1, rows_per_label))
    figure = Figure(figsize=(7.0, height), dpi=150, layout="constrained")
    axes = figure.add_subplot()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    for text in (axes.title, axes.xaxis.label, axes.yaxis.label):
        text.set_fontfamily(families)
    figure._qcode_families = families  # type: ignore[attr-defined]  # the fonts travel with the figure to _finish
    return figure, axes


def _finish(figure: Figure, axes: Any, path: Path) -> None:
    families = figure._qcode_families  # type: ignore[attr-defined]  # set by the function that made the figure
    for label in axes.get_yticklabels() + axes.get_xticklabels():
        label.set_family(families)
    legend = axes.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_family(families)
    axes.spines[["top", "right"]].set_visible(False)
    if path.suffix.lower() not in FORMATS:
        raise InputError(_("a chart is written as .png or .svg, not {suffix}").format(suffix=path.suffix or "''"),
                         path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # SVG with real <text> (editable, searchable) instead of glyph outlines.
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            figure.savefig(path, metadata=None if path.suffix.lower() == ".png" else {"Date": None})
    except OSError as exc:
        raise InputError(_("cannot write: {reason}").format(reason=exc.strerror), path=path) from exc


def frequency_chart(counts: CodeCoderCounts, path: Path) -> None:
    """Units coded per code, one bar per coder, codes top to bottom in codebook order."""
    rows = [i for i, row in enumerate(counts.rows) if row.scope == "code"]
    labels = [counts.rows[i].name for i in rows]
    coders = list(counts.coders)
    figure, axes = _figure(labels + coders, len(coders))
    height = 0.8 / max(1, len(coders))
    for j, coder in enumerate(coders):
        positions = [k + (j - (len(coders) - 1) / 2) * height for k in range(len(rows))]
        axes.barh(positions, [counts.units[i][j] for i in rows], height=height, label=coder,
                  color=COLORS[j % len(COLORS)])
    axes.set_yticks(range(len(rows)), labels)
    axes.invert_yaxis()
    units = _(f"{counts.unit}s")
    axes.set_xlabel(_("{units} coded (of {total})").format(units=units, total=counts.units_total))
    axes.set_title(_("{units} per code and coder").format(units=units))
    if len(coders) > 1:
        axes.legend(title=_("coder"), frameon=False)
    _finish(figure, axes, path)


def agreement_chart(report: UnitAgreement, names: dict[str, str], path: Path) -> None:
    """Alpha and kappa per code (presence or absence), with 95% intervals where computed."""
    codes = list(report.per_code)
    labels = [names.get(code, code) for code in codes]
    figure, axes = _figure(labels + list(report.coders), 2)
    height = 0.38
    lowest = 0.0
    for j, stat in enumerate(("krippendorff_alpha_nominal", "cohen_kappa")):
        values, low, high = [], [], []
        for code in codes:
            result = report.per_code[code][stat]
            value, ci = result.value, result.ci95
            values.append(value if value is not None else float("nan"))
            lowest = min(lowest, value if value is not None else 0.0, ci[0] if ci else 0.0)
            low.append(value - ci[0] if ci and value is not None else 0.0)
            high.append(ci[1] - value if ci and value is not None else 0.0)
        positions = [k + (j - 0.5) * height for k in range(len(codes))]
        axes.barh(positions, values, height=height, label=symbol_label(stat), color=COLORS[j],
                  xerr=[low, high] if any(low) or any(high) else None, capsize=2)
    for threshold in (0.667, 0.8):
        axes.axvline(threshold, color="#888888", linestyle="--", linewidth=0.8)
    axes.axvline(0, color="#333333", linewidth=0.8)
    axes.set_yticks(range(len(codes)), labels)
    axes.invert_yaxis()
    axes.set_xlim(lowest - 0.1, 1.05)
    axes.set_xlabel(_("agreement per code ({unit} units; dashed lines: 0.667 and 0.8)").format(unit=_(report.unit)))
    axes.set_title(_("Inter-coder agreement: {coders}").format(coders=", ".join(report.coders)))
    axes.legend(frameon=False, loc="lower right")
    _finish(figure, axes, path)
