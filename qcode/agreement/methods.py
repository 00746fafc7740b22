"""A methods-section paragraph (Chinese or English) from an agreement report, with its sources.

The paragraph states who coded what, the unit of analysis and the unit rule, the per-code statistics
(the main table for multi-label coding), the overall figure with its confidence interval, and how to
read them: kappa by Landis & Koch (1977), alpha by Krippendorff (2004). It only reports figures that
are defined, and says so when one is not.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

LANDIS_KOCH = (  # upper bound (inclusive), English, Chinese
    (0.0, "poor", "差"),
    (0.20, "slight", "轻微一致"),
    (0.40, "fair", "一般一致"),
    (0.60, "moderate", "中等一致"),
    (0.80, "substantial", "高度一致"),
    (1.0, "almost perfect", "几乎完全一致"),
)
KRIPPENDORFF_RELIABLE = 0.800
KRIPPENDORFF_TENTATIVE = 0.667

REFERENCES = {
    "landis": "Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for categorical data. "
              "Biometrics, 33(1), 159–174.",
    "krippendorff": "Krippendorff, K. (2004). Content analysis: An introduction to its methodology (2nd ed.). "
                    "Thousand Oaks, CA: Sage.",
}

UNIT_NAMES = {
    "transcript": ("transcripts", "transcript", "访谈转录稿", "份"),
    "turn": ("speaker turns", "turn", "说话轮次", "个"),
    "sentence": ("sentences", "sentence", "句子", "个"),
    "char": ("characters", "character", "字符", "个"),
}


@dataclass(frozen=True)
class StudyContext:
    """What the report does not know: how much text there was and how large the codebook is."""

    transcripts: int
    characters: int
    codebook_codes: int
    rollup: bool = False


def landis_koch(value: float) -> tuple[str, str]:
    """The Landis & Koch (1977) band of a kappa-type value: (English, Chinese)."""
    if value < 0:
        return LANDIS_KOCH[0][1], LANDIS_KOCH[0][2]
    for upper, english, chinese in LANDIS_KOCH[1:]:
        if value <= upper:
            return english, chinese
    return LANDIS_KOCH[-1][1], LANDIS_KOCH[-1][2]


def krippendorff_band(value: float) -> str:
    """'reliable', 'tentative' or 'unacceptable' by Krippendorff's (2004) thresholds."""
    if value >= KRIPPENDORFF_RELIABLE:
        return "reliable"
    if value >= KRIPPENDORFF_TENTATIVE:
        return "tentative"
    return "unacceptable"


def _chinese_count(n: int) -> str:
    return {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}.get(n, str(n))


def _f(value: float) -> str:
    return f"{value:.3f}"


def _ci(result: dict[str, Any]) -> str | None:
    ci = result.get("ci95")
    return None if not ci else f"[{_f(ci[0])}, {_f(ci[1])}]"


@dataclass(frozen=True)
class _Figures:
    """The numbers the paragraph needs, pulled out of the report once."""

    coders: list[str]
    unit: str
    pairable: int
    kappas: list[tuple[str, float]]  # per code, defined only
    undefined_codes: list[str]
    masi: dict[str, Any]
    overall_alpha: dict[str, Any]
    overall_kappa: dict[str, Any]
    percent: dict[str, Any]
    resamples: int


def _figures(report: dict[str, Any]) -> _Figures:
    kappas, undefined = [], []
    for code, table in report["per_code"].items():
        value = table["cohen_kappa"]["value"]
        if value is None:
            undefined.append(code)
        else:
            kappas.append((code, value))
    return _Figures(
        coders=list(report["coders"]),
        unit=report["unit"],
        pairable=int(report.get("n_units_pairable", report["n_units"])),
        kappas=kappas,
        undefined_codes=undefined,
        masi=report["label_sets"]["krippendorff_alpha_masi"],
        overall_alpha=report["overall"]["krippendorff_alpha_nominal"],
        overall_kappa=report["overall"]["cohen_kappa"],
        percent=report["overall"]["percent_agreement"],
        resamples=int(report.get("bootstrap", {}).get("resamples", 0)),
    )


def methods_paragraph(report: dict[str, Any], context: StudyContext, language: str = "en") -> str:
    """The paragraph and its references, in `language` ("en" or "zh")."""
    figures = _figures(report)
    if language == "zh":
        return _chinese(figures, context)
    if language == "en":
        return _english(figures, context)
    raise ValueError(f"unknown language {language!r}")


def _english(f: _Figures, ctx: StudyContext) -> str:
    plural, singular, _, _ = UNIT_NAMES[f.unit]
    n_coders = len(f.coders)
    coder_words = {2: "Two", 3: "Three", 4: "Four", 5: "Five"}.get(n_coders, str(n_coders))
    parts = [
        f"{coder_words} coders ({', '.join(f.coders)}) independently coded {ctx.transcripts} interview "
        f"transcript{'s' if ctx.transcripts != 1 else ''} ({ctx.characters:,} characters) with a codebook of "
        f"{ctx.codebook_codes} codes."
    ]
    if f.unit == "char":
        parts.append(
            "Reliability was assessed character by character (each character of a transcript is a unit, as in "
            f"NVivo's coding comparison; N = {f.pairable:,} characters compared)."
        )
    else:
        rule = "" if f.unit == "transcript" else (
            f"; a code was counted for a {singular} when a coding covered at least one of its characters other "
            "than white space or punctuation")
        parts.append(
            f"Reliability was assessed with {plural} as the unit of analysis (N = {f.pairable:,} {plural} rated "
            f"by at least two coders{rule})."
        )
    if ctx.rollup:
        parts.append("Codes were analysed with their sub-codes rolled up into them.")
    if f.kappas:
        low = min(f.kappas, key=lambda kv: kv[1])
        high = max(f.kappas, key=lambda kv: kv[1])
        median = statistics.median(v for _, v in f.kappas)
        substantial = sum(1 for _, v in f.kappas if v > 0.60)
        parts.append(
            "For each code, agreement on its presence or absence was measured with Cohen's kappa"
            f"{' (mean of coder pairs, Light’s kappa)' if n_coders > 2 else ''} and Krippendorff's alpha. "
            f"Across the {len(f.kappas)} codes with a defined kappa, kappa ranged from {_f(low[1])} ({low[0]}) to "
            f"{_f(high[1])} ({high[0]}), median {_f(median)}; {substantial or 'none'} of them reached substantial or "
            "almost perfect agreement (κ > 0.60; Landis & Koch, 1977)."
        )
    if f.undefined_codes:
        parts.append(
            f"For {len(f.undefined_codes)} code{'s' if len(f.undefined_codes) != 1 else ''} "
            f"({', '.join(f.undefined_codes[:5])}{', …' if len(f.undefined_codes) > 5 else ''}) kappa is undefined "
            "(for example, no coder used the code), so no value is reported."
        )
    parts += _english_overall(f)
    parts.append(f"\n\nReferences\n{REFERENCES['krippendorff']}\n{REFERENCES['landis']}")
    return " ".join(parts[:-1]) + parts[-1] + "\n"


def _bootstrap_en(f: _Figures) -> str:
    return f"; percentile bootstrap over units, {f.resamples:,} resamples" if f.resamples else ""


def _english_overall(f: _Figures) -> list[str]:
    out = []
    alpha = f.masi if f.masi["value"] is not None else f.overall_alpha
    label = "Krippendorff's alpha over the coders' sets of codes (MASI distance)" if alpha is f.masi else \
        "Krippendorff's alpha (nominal)"
    if alpha["value"] is not None:
        value = alpha["value"]
        ci = _ci(alpha)
        band = krippendorff_band(value)
        reading = {
            "reliable": f"which meets the {KRIPPENDORFF_RELIABLE:.3f} threshold for reliable data",
            "tentative": f"which is below {KRIPPENDORFF_RELIABLE:.3f} but above {KRIPPENDORFF_TENTATIVE:.3f}, "
                         "acceptable only for tentative conclusions",
            "unacceptable": f"which is below the {KRIPPENDORFF_TENTATIVE:.3f} minimum for drawing conclusions",
        }[band]
        ci_text = f" (95% CI {ci}{_bootstrap_en(f)})" if ci else ""
        out.append(f"Overall, {label} was {_f(value)}{ci_text}, {reading} (Krippendorff, 2004).")
    if f.overall_kappa["value"] is not None and alpha is f.masi:
        ci = _ci(f.overall_kappa)
        english, _ = landis_koch(f.overall_kappa["value"])
        percent = f.percent["value"]
        pct = f", with {percent:.1%} agreement" if percent is not None else ""
        out.append(
            f"Treating each unit's code as a single category, Cohen's kappa was {_f(f.overall_kappa['value'])}"
            f"{f' (95% CI {ci})' if ci else ''}{pct}, {english} agreement by Landis and Koch (1977)."
        )
    elif f.overall_kappa["value"] is None and f.overall_kappa.get("undefined_reason"):
        out.append("Single-label overall statistics do not apply because units carry several codes from one "
                   "coder; the per-code figures and the label-set alpha are reported instead."
                   if "several codes" in f.overall_kappa["undefined_reason"] else
                   f"An overall kappa is not reported: {f.overall_kappa['undefined_reason']}.")
    return out


def _chinese(f: _Figures, ctx: StudyContext) -> str:
    _, _, unit_zh, measure = UNIT_NAMES[f.unit]
    coders = "、".join(f.coders)
    parts = [
        f"{_chinese_count(len(f.coders))}名编码员（{coders}）使用包含{ctx.codebook_codes}个代码的编码本，对{ctx.transcripts}份访谈转录稿"
        f"（共{ctx.characters:,}字）进行了独立编码。"
    ]
    if f.unit == "char":
        parts.append(f"信度检验以字符为分析单位（与NVivo的编码比较相同，每个字符为一个单位；共比较{f.pairable:,}个字符）。")
    else:
        rule = "" if f.unit == "transcript" else f"；编码覆盖某一{unit_zh}中至少一个非空白、非标点字符，即视为该{unit_zh}被编码"
        parts.append(f"信度检验以{unit_zh}为分析单位（至少两名编码员均完成编码的{unit_zh}共{f.pairable:,}{measure}{rule}）。")
    if ctx.rollup:
        parts.append("分析时各代码的下级代码并入其上级代码。")
    if f.kappas:
        low = min(f.kappas, key=lambda kv: kv[1])
        high = max(f.kappas, key=lambda kv: kv[1])
        median = statistics.median(v for _, v in f.kappas)
        substantial = sum(1 for _, v in f.kappas if v > 0.60)
        light = "（多名编码员时取两两kappa的均值，即Light's kappa）" if len(f.coders) > 2 else ""
        parts.append(
            f"对每个代码，以Cohen's kappa{light}和Krippendorff's alpha衡量编码员在该代码“出现与否”上的一致性。"
            f"在kappa有定义的{len(f.kappas)}个代码中，kappa值介于{_f(low[1])}（{low[0]}）与{_f(high[1])}（{high[0]}）之间，"
            f"中位数为{_f(median)}；"
            + (f"其中{substantial}个代码" if substantial else "没有代码")
            + "达到高度一致及以上水平（κ > 0.60；Landis & Koch, 1977）。"
        )
    if f.undefined_codes:
        shown = "、".join(f.undefined_codes[:5]) + ("等" if len(f.undefined_codes) > 5 else "")
        parts.append(f"另有{len(f.undefined_codes)}个代码（{shown}）的kappa无定义（例如没有编码员使用该代码），故不报告其数值。")
    alpha = f.masi if f.masi["value"] is not None else f.overall_alpha
    label = "以MASI距离计算的代码集合Krippendorff's alpha" if alpha is f.masi else "Krippendorff's alpha（名义）"
    if alpha["value"] is not None:
        value = alpha["value"]
        ci = _ci(alpha)
        boot = f"；基于分析单位的百分位Bootstrap，重抽样{f.resamples:,}次" if f.resamples else ""
        ci_text = f"（95%置信区间{ci}{boot}）" if ci else ""
        reading = {
            "reliable": f"达到{KRIPPENDORFF_RELIABLE:.3f}的可靠标准",
            "tentative": f"低于{KRIPPENDORFF_RELIABLE:.3f}的可靠标准，但高于{KRIPPENDORFF_TENTATIVE:.3f}的下限，仅可用于得出初步结论",
            "unacceptable": f"低于{KRIPPENDORFF_TENTATIVE:.3f}的最低可接受水平",
        }[krippendorff_band(value)]
        parts.append(f"总体上，{label}为{_f(value)}{ci_text}，{reading}（Krippendorff, 2004）。")
    if f.overall_kappa["value"] is not None and alpha is f.masi:
        ci = _ci(f.overall_kappa)
        _, chinese = landis_koch(f.overall_kappa["value"])
        percent = f.percent["value"]
        pct = f"，百分比一致率为{percent:.1%}" if percent is not None else ""
        parts.append(f"若将每个单位的代码视为单一类别，Cohen's kappa为{_f(f.overall_kappa['value'])}"
                     f"{f'（95%置信区间{ci}）' if ci else ''}{pct}，按Landis和Koch（1977）的标准属于{chinese}。")
    elif f.overall_kappa["value"] is None and "several codes" in (f.overall_kappa.get("undefined_reason") or ""):
        parts.append("由于同一编码员会对同一单位标注多个代码，单一类别的总体统计量不适用，故报告各代码的统计量与代码集合的alpha。")
    return "".join(parts) + f"\n\n参考文献\n{REFERENCES['krippendorff']}\n{REFERENCES['landis']}\n"
