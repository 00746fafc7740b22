"""A methods-section paragraph (Chinese or English) from an agreement report, with its sources.

The paragraph states who coded what, the unit of analysis and the unit rule, the per-code statistics
(the main table for multi-label coding), the overall figure with its confidence interval, and how to
read them: kappa by Landis & Koch (1977), alpha by Krippendorff (2004). It only reports figures that
are defined, and says so when one is not.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    """What the report does not know: the codebook's size, whether codes were rolled up, the codes' names.

    `code_names` maps a code id to its (Chinese, English) names; either may repeat the other when the
    codebook gives one language only. Codes without a name are shown by id.
    """

    codebook_codes: int
    rollup: bool = False
    code_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def name(self, code: str, language: str) -> str:
        """The code by name with its id, e.g. 相对优势（T.ADVANTAGE） or Relative advantage (T.ADVANTAGE)."""
        names = self.code_names.get(code)
        if not names:
            return code
        name = names[0] if language == "zh" else names[1]
        if not name or name == code:
            return code
        return f"{name}（{code}）" if language == "zh" else f"{name} ({code})"


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
    compared: list[dict[str, Any]]  # transcripts rated by 2+ coders: name, characters, units, coders
    not_compared: list[dict[str, Any]]
    characters: int
    not_independent: list[dict[str, Any]]  # coder, transcript, at: saw others' codings before completing
    kappas: list[tuple[str, float, dict[str, Any]]]  # per code, defined only: code, value, result
    undefined_codes: list[str]
    per_code: dict[str, dict[str, Any]]
    masi: dict[str, Any]
    overall_alpha: dict[str, Any]
    overall_kappa: dict[str, Any]
    percent: dict[str, Any]
    resamples: int
    seed: int | None
    min_share: float | None


def _figures(report: dict[str, Any]) -> _Figures:
    kappas, undefined = [], []
    for code, table in report["per_code"].items():
        value = table["cohen_kappa"]["value"]
        if value is None:
            undefined.append(code)
        else:
            kappas.append((code, value, table["cohen_kappa"]))
    compared = report.get("compared") or {}
    bootstrap = report.get("bootstrap", {})
    return _Figures(
        coders=list(report["coders"]),
        unit=report["unit"],
        pairable=int(report.get("n_units_pairable", report["n_units"])),
        compared=list(compared.get("by_transcript", [])),
        not_compared=list(compared.get("not_compared", [])),
        characters=int(compared.get("characters", 0)),
        not_independent=list(report.get("not_independent", [])),
        kappas=kappas,
        undefined_codes=undefined,
        per_code=report["per_code"],
        masi=report["label_sets"]["krippendorff_alpha_masi"],
        overall_alpha=report["overall"]["krippendorff_alpha_nominal"],
        overall_kappa=report["overall"]["cohen_kappa"],
        percent=report["overall"]["percent_agreement"],
        resamples=int(bootstrap.get("resamples", 0)),
        seed=bootstrap.get("seed"),
        min_share=(report.get("options") or {}).get("min_share"),
    )


def methods_paragraph(report: dict[str, Any], context: StudyContext, language: str = "en") -> str:
    """The paragraph, a per-code table and the references, in `language` ("en" or "zh")."""
    figures = _figures(report)
    if language == "zh":
        return _chinese(figures, context)
    if language == "en":
        return _english(figures, context)
    raise ValueError(f"unknown language {language!r}")


def _listing(names: list[str], limit: int, sep: str, more: str) -> str:
    return sep.join(names[:limit]) + (more if len(names) > limit else "")


def _codings_compared(f: _Figures) -> int:
    """How many (coder, transcript) codings enter the figures."""
    return sum(len(t["coders"]) for t in f.compared)


def _all_rated_by_all(f: _Figures) -> bool:
    return all(len(t["coders"]) == len(f.coders) for t in f.compared)


# -- English ---------------------------------------------------------------------------------------


def _english(f: _Figures, ctx: StudyContext) -> str:
    plural, singular, _, _ = UNIT_NAMES[f.unit]
    n_coders = len(f.coders)
    coder_words = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}.get(n_coders, str(n_coders))
    parts = [f"{coder_words} coder{'s' if n_coders != 1 else ''} ({', '.join(f.coders)}) coded interview transcripts "
             f"with a codebook of {ctx.codebook_codes} code{'s' if ctx.codebook_codes != 1 else ''}."]
    parts.append(_english_material(f))
    if not f.compared:  # nothing to report: say so, and nothing else
        return " ".join(parts) + "\n"
    parts.append(_english_independence(f))
    if f.unit == "char":
        parts.append(
            "Reliability was assessed character by character (each character of a transcript is a unit, as in "
            f"NVivo's coding comparison; N = {f.pairable:,} characters compared)."
        )
    else:
        rule = ""
        if f.unit != "transcript":
            rule = (f"; a code was counted for a {singular} when a coder's codings of it covered at least "
                    f"{f.min_share:.0%} of its characters other than white space and punctuation" if f.min_share else
                    f"; a code was counted for a {singular} when a coding covered at least one of its characters "
                    "other than white space or punctuation")
        parts.append(f"Reliability was assessed with {plural} as the unit of analysis (N = {f.pairable:,} {plural} "
                     f"in these transcripts{rule}).")
    if ctx.rollup:
        parts.append("Codes were analysed with their sub-codes rolled up into them.")
    if f.kappas:
        low = min(f.kappas, key=lambda kv: kv[1])
        high = max(f.kappas, key=lambda kv: kv[1])
        median = statistics.median(v for _, v, _ in f.kappas)
        substantial = sum(1 for _, v, _ in f.kappas if v > 0.60)
        parts.append(
            "For each code, agreement on its presence or absence was measured with Cohen's kappa"
            f"{' (mean of coder pairs, Light’s kappa)' if n_coders > 2 else ''} and Krippendorff's alpha "
            "(Table 1). "
            f"Across the {len(f.kappas)} code{'s' if len(f.kappas) != 1 else ''} with a defined kappa, kappa ranged "
            f"from {_extreme_en(low, ctx)} to {_extreme_en(high, ctx)}, median {_f(median)}; "
            f"{substantial or 'none'} of them reached substantial "
            "or almost perfect agreement (κ > 0.60; Landis & Koch, 1977)."
        )
    if f.undefined_codes:
        shown = ", ".join(ctx.name(c, "en") for c in f.undefined_codes[:5])
        parts.append(
            f"For {len(f.undefined_codes)} code{'s' if len(f.undefined_codes) != 1 else ''} "
            f"({shown}{', …' if len(f.undefined_codes) > 5 else ''}) kappa is undefined "
            "(for example, no coder used the code), so no value is reported."
        )
    parts += _english_overall(f)
    text = " ".join(p for p in parts if p)
    table = _table(f, ctx, "en")
    return (f"{text}\n\n{table}\n\nReferences\n{REFERENCES['krippendorff']}\n{REFERENCES['landis']}\n")


def _english_material(f: _Figures) -> str:
    if not f.compared:
        return "No transcript was completed by two or more of these coders, so no agreement figure could be computed."
    n = len(f.compared)
    who = ("all coders" if len(f.coders) > 2 else "both coders") if _all_rated_by_all(f) else "at least two coders"
    names = "; ".join(t["name"] if _all_rated_by_all(f) else f"{t['name']} ({', '.join(t['coders'])})"
                      for t in f.compared)
    text = (f"Agreement was computed on the {n} transcript{'s' if n != 1 else ''} that {who} had marked as "
            f"completely coded ({names}; {f.characters:,} characters)")
    if f.not_compared:
        skipped = [t["name"] for t in f.not_compared]
        text += (f"; {len(skipped)} further transcript{'s' if len(skipped) != 1 else ''} "
                 f"({_listing(skipped, 6, ', ', ', …')}) {'were' if len(skipped) != 1 else 'was'} completed by fewer "
                 "than two of them and do not enter the figures")
    return text + "."


def _english_independence(f: _Figures) -> str:
    if not f.compared:
        return ""
    if not f.not_independent:
        return ("Each coder coded these transcripts independently: by qcode's record, none viewed another coder's "
                "codings of them before completing their own.")
    cases = "; ".join(f"{s['coder']} viewed the other coders' codings of {s['transcript']} before completing it"
                      for s in f.not_independent)
    rest = ("no coding of these transcripts was independent" if len(f.not_independent) >= _codings_compared(f) else
            "the other codings were made without seeing another coder's work")
    return (f"Coding was not fully independent: {cases}; such a coding is not an independent coding of that "
            f"transcript, and {rest}.")


def _extreme_en(kappa: tuple[str, float, dict[str, Any]], ctx: StudyContext) -> str:
    """'0.340 for Citizenship (NPS.CITIZENSHIP; 95% CI [0.1, 0.6])'."""
    code, value, result = kappa
    name = ctx.code_names.get(code, ("", ""))[1]
    ci = _ci(result)
    where = "; ".join(p for p in (code, f"95% CI {ci}" if ci else "") if p)
    return f"{_f(value)} for {name} ({where})" if name and name != code else f"{_f(value)} for {where}"


def _extreme_zh(kappa: tuple[str, float, dict[str, Any]], ctx: StudyContext) -> str:
    """'公民权（NPS.CITIZENSHIP）的0.340（95%置信区间[0.1, 0.6]）'."""
    code, value, result = kappa
    return f"{ctx.name(code, 'zh')}的{_f(value)}{_ci_zh(result)}"


def _ci_en(result: dict[str, Any]) -> str:
    ci = _ci(result)
    return f" (95% CI {ci})" if ci else ""


def _bootstrap_en(f: _Figures) -> str:
    if not f.resamples:
        return ""
    return f"; percentile bootstrap over units, {f.resamples:,} resamples, seed {f.seed}"


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
    if f.resamples and not any(_ci(r) for r in (alpha, f.overall_kappa)):
        out.append(f"Confidence intervals: percentile bootstrap over units, {f.resamples:,} resamples, seed {f.seed}.")
    return out


# -- the per-code table ------------------------------------------------------------------------------


def _cell(result: dict[str, Any]) -> str:
    if result["value"] is None:
        return "—"
    ci = _ci(result)
    return _f(result["value"]) + (f" {ci}" if ci else "")


def _table(f: _Figures, ctx: StudyContext, language: str) -> str:
    """Every code of the analysis by name, with kappa, alpha and percent agreement (and their intervals)."""
    plural, _, unit_zh, measure = UNIT_NAMES[f.unit]
    if language == "zh":
        boot = f"；95%置信区间：百分位Bootstrap，重抽样{f.resamples:,}次，随机种子{f.seed}" if f.resamples else ""
        title = f"表1 各代码的编码一致性（N = {f.pairable:,}{measure}{unit_zh}{boot}；—：无定义）"
        headers = ["代码", "Cohen's kappa", "Krippendorff's alpha", "百分比一致率"]
    else:
        boot = f"; 95% CIs: percentile bootstrap, {f.resamples:,} resamples, seed {f.seed}" if f.resamples else ""
        title = f"Table 1. Agreement per code (N = {f.pairable:,} {plural}{boot}; —: undefined)"
        headers = ["Code", "Cohen's kappa", "Krippendorff's alpha", "Percent agreement"]
    rows, undefined = [], []
    for code, table in f.per_code.items():
        kappa, alpha = table["cohen_kappa"], table["krippendorff_alpha_nominal"]
        if kappa["value"] is None and alpha["value"] is None:
            undefined.append(ctx.name(code, language))
            continue
        percent = table["percent_agreement"]["value"]
        rows.append([ctx.name(code, language), _cell(kappa), _cell(alpha), "—" if percent is None else f"{percent:.1%}"])
    lines = [title, "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    if undefined:
        lines.append("")
        lines.append(f"kappa与alpha均无定义（例如没有编码员使用该代码）的{len(undefined)}个代码：{'、'.join(undefined)}。"
                     if language == "zh" else
                     f"Kappa and alpha undefined (for example, no coder used the code), {len(undefined)} "
                     f"code{'s' if len(undefined) != 1 else ''}: {'; '.join(undefined)}.")
    return "\n".join(lines)


# -- Chinese ---------------------------------------------------------------------------------------


def _ci_zh(result: dict[str, Any]) -> str:
    ci = _ci(result)
    return f"（95%置信区间{ci}）" if ci else ""


def _chinese_material(f: _Figures) -> str:
    if not f.compared:
        return "没有任何转录稿由两名及以上编码员完成编码，因此无法计算一致性。"
    n = len(f.compared)
    who = ("所有编码员" if len(f.coders) > 2 else "两名编码员") if _all_rated_by_all(f) else "至少两名编码员"
    names = "、".join(t["name"] if _all_rated_by_all(f) else f"{t['name']}（{'、'.join(t['coders'])}）"
                      for t in f.compared)
    text = f"一致性基于{who}均已标记为完成编码的{n}份访谈转录稿（{names}；共{f.characters:,}字）计算"
    if f.not_compared:
        skipped = [t["name"] for t in f.not_compared]
        text += f"；另有{len(skipped)}份转录稿（{_listing(skipped, 6, '、', '等')}）完成编码的编码员不足两名，未纳入计算"
    return text + "。"


def _chinese_independence(f: _Figures) -> str:
    if not f.compared:
        return ""
    if not f.not_independent:
        return "各编码员独立完成上述转录稿的编码：据qcode记录，在完成之前均未查看其他编码员的编码。"
    cases = "；".join(f"{s['coder']}在完成{s['transcript']}的编码之前查看过其他编码员的编码" for s in f.not_independent)
    rest = ("上述转录稿均无独立编码" if len(f.not_independent) >= _codings_compared(f) else
            "其余编码均在未查看他人编码的情况下完成")
    return f"编码并非完全独立：{cases}，因此该编码员对相应转录稿的编码不属于独立编码；{rest}。"


def _chinese(f: _Figures, ctx: StudyContext) -> str:
    _, _, unit_zh, measure = UNIT_NAMES[f.unit]
    coders = "、".join(f.coders)
    parts = [f"{_chinese_count(len(f.coders))}名编码员（{coders}）使用包含{ctx.codebook_codes}个代码的编码本对访谈转录稿进行了编码。",
             _chinese_material(f), _chinese_independence(f)]
    if not f.compared:  # nothing to report: say so, and nothing else
        return "".join(parts) + "\n"
    if f.unit == "char":
        parts.append(f"信度检验以字符为分析单位（与NVivo的编码比较相同，每个字符为一个单位；共比较{f.pairable:,}个字符）。")
    else:
        rule = ""
        if f.unit != "transcript":
            rule = (f"；某一编码员对某代码的编码覆盖某一{unit_zh}中至少{f.min_share:.0%}的非空白、非标点字符，即视为该{unit_zh}被编码"
                    if f.min_share else f"；编码覆盖某一{unit_zh}中至少一个非空白、非标点字符，即视为该{unit_zh}被编码")
        parts.append(f"信度检验以{unit_zh}为分析单位（上述转录稿中共{f.pairable:,}{measure}{unit_zh}{rule}）。")
    if ctx.rollup:
        parts.append("分析时各代码的下级代码并入其上级代码。")
    if f.kappas:
        low = min(f.kappas, key=lambda kv: kv[1])
        high = max(f.kappas, key=lambda kv: kv[1])
        median = statistics.median(v for _, v, _ in f.kappas)
        substantial = sum(1 for _, v, _ in f.kappas if v > 0.60)
        light = "（多名编码员时取两两kappa的均值，即Light's kappa）" if len(f.coders) > 2 else ""
        parts.append(
            f"对每个代码，以Cohen's kappa{light}和Krippendorff's alpha衡量编码员在该代码“出现与否”上的一致性（见表1）。"
            f"在kappa有定义的{len(f.kappas)}个代码中，kappa值介于{_extreme_zh(low, ctx)}与{_extreme_zh(high, ctx)}之间，"
            f"中位数为{_f(median)}；"
            + (f"其中{substantial}个代码" if substantial else "没有代码")
            + "达到高度一致及以上水平（κ > 0.60；Landis & Koch, 1977）。"
        )
    if f.undefined_codes:
        shown = "、".join(ctx.name(c, "zh") for c in f.undefined_codes[:5]) + ("等" if len(f.undefined_codes) > 5 else "")
        parts.append(f"另有{len(f.undefined_codes)}个代码（{shown}）的kappa无定义（例如没有编码员使用该代码），故不报告其数值。")
    alpha = f.masi if f.masi["value"] is not None else f.overall_alpha
    label = "以MASI距离计算的代码集合Krippendorff's alpha" if alpha is f.masi else "Krippendorff's alpha（名义）"
    boot = f"；基于分析单位的百分位Bootstrap，重抽样{f.resamples:,}次，随机种子{f.seed}" if f.resamples else ""
    if alpha["value"] is not None:
        value = alpha["value"]
        ci = _ci(alpha)
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
    if f.resamples and not any(_ci(r) for r in (alpha, f.overall_kappa)):
        parts.append(f"置信区间：基于分析单位的百分位Bootstrap，重抽样{f.resamples:,}次，随机种子{f.seed}。")
    return ("".join(parts) + f"\n\n{_table(f, ctx, 'zh')}\n\n参考文献\n{REFERENCES['krippendorff']}\n"
            f"{REFERENCES['landis']}\n")
