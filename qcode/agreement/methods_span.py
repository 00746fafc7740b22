"""A methods-section paragraph (Chinese or English) for agreement on coder-chosen spans (the uα family).

It says why the unitizing alpha was used (coders chose their own passages), what each coefficient
measures, the pooled values with their bootstrap intervals over transcripts, the share of the text
that was coded and the coverage of cuα, the per-code (k)uα, and reads uα by Krippendorff's (2004)
thresholds. Undefined figures are named as such, never given a number.
"""

from __future__ import annotations

import statistics
from typing import Any

from qcode.agreement.methods import (
    KRIPPENDORFF_RELIABLE,
    KRIPPENDORFF_TENTATIVE,
    REFERENCES,
    StudyContext,
    krippendorff_band,
)

SPAN_REFERENCES = (
    "Krippendorff, K. (2019). Content analysis: An introduction to its methodology (4th ed.). Thousand Oaks, CA: "
    "Sage.",
    "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the reliability of unitizing textual "
    "continua: Further developments. Quality & Quantity, 50(6), 2347–2364.",
    REFERENCES["krippendorff"],
)


def _f(value: float) -> str:
    return f"{value:.3f}"


def _with_ci(result: dict[str, Any], zh: bool) -> str:
    text = _f(result["value"])
    ci = result.get("ci95")
    if ci:
        text += f"（95%置信区间[{_f(ci[0])}, {_f(ci[1])}]）" if zh else f" (95% CI [{_f(ci[0])}, {_f(ci[1])}])"
    return text


def _per_code(report: dict[str, Any], key: str, ctx: StudyContext, language: str
              ) -> tuple[list[tuple[str, float]], list[str]]:
    """Per-code values by code name (with id), the defined ones and the names of the undefined ones."""
    defined, undefined = [], []
    for code, table in report["per_code"].items():
        value = table[key]["value"]
        name = ctx.name(code, language)
        (undefined.append(name) if value is None else defined.append((name, value)))
    return defined, undefined


def _not_independent(report: dict[str, Any], zh: bool) -> str:
    seen = report.get("not_independent") or []
    if not seen:
        return ""
    pairs = ("、" if zh else ", ").join(f"{s['coder']}/{s['transcript']}" for s in seen)
    if zh:
        return f"注意：以下编码员在完成编码前查看过其他编码员的编码，相应转录稿并非独立编码：{pairs}。"
    return f"Note: these coders saw other coders' codings before completing the transcript, so it was not coded independently: {pairs}."


def _not_one_variable(report: dict[str, Any]) -> bool:
    return "not one variable" in (report["overall"]["u_alpha"]["undefined_reason"] or "")


def span_methods_paragraph(report: dict[str, Any], context: StudyContext, language: str = "en") -> str:
    """The paragraph and its references, in `language` ("en" or "zh")."""
    if language == "zh":
        return _chinese(report, context)
    if language == "en":
        return _english(report, context)
    raise ValueError(f"unknown language {language!r}")


def _english(report: dict[str, Any], ctx: StudyContext) -> str:
    coders = report["coders"]
    words = {2: "Two", 3: "Three", 4: "Four", 5: "Five"}.get(len(coders), str(len(coders)))
    n_t, length = report["n_transcripts"], report["continuum_length"]
    overall = report["overall"]
    names = report.get("transcripts") or []
    listed = f": {', '.join(names)}" if 0 < len(names) <= 10 else ""
    parts = [
        f"{words} coders ({', '.join(coders)}) each coded the {n_t} interview transcript{'s' if n_t != 1 else ''} "
        f"that all of them completed ({length:,} characters{listed}) with a codebook of {ctx.codebook_codes} codes, "
        "each choosing the passages they coded.",
        "Reliability was therefore assessed with Krippendorff's alpha for unitized continua (Krippendorff et al., "
        "2016; Krippendorff, 2019), each transcript taken whole, uncoded text included",
    ]
    share = report.get("coded_share")
    parts[-1] += (f"; on average each coder coded {share:.1%} of this text." if share is not None else ".")
    if ctx.rollup:
        parts.append("Codes were analysed with their sub-codes rolled up into them.")
    boot = report.get("bootstrap")
    how = (f" Intervals are percentile bootstrap intervals over transcripts ({boot['resamples']:,} resamples, "
           f"seed {boot['seed']})." if boot else "")
    u, bar_u, cu = overall["u_alpha"], overall["binary_u_alpha"], overall["cu_alpha"]
    if _not_one_variable(report):
        parts.append("Because coders applied several of these codes to overlapping text, the codes are not the "
                     "mutually exclusive values of one variable, so uα, |uα, cuα and (k)uα are not reported; each "
                     "code was instead assessed on its own, as present or absent (binary uα).")
    elif u["value"] is None:
        parts.append(f"The overall coefficients are undefined: {u['undefined_reason']}.")
    else:
        reading = {
            "reliable": f"which meets the {KRIPPENDORFF_RELIABLE:.3f} threshold for reliable data",
            "tentative": f"below {KRIPPENDORFF_RELIABLE:.3f} but above {KRIPPENDORFF_TENTATIVE:.3f}, acceptable "
                         "only for tentative conclusions",
            "unacceptable": f"below the {KRIPPENDORFF_TENTATIVE:.3f} minimum for drawing conclusions",
        }[krippendorff_band(u["value"])]
        parts.append(f"uα, which compares both where the coders placed passages and which codes they applied, "
                     f"uncoded text included, was {_with_ci(u, False)}, {reading} (Krippendorff, 2004).")
        if bar_u["value"] is not None:
            parts.append(f"|uα, which asks only whether the coders found the same stretches of text relevant, was "
                         f"{_with_ci(bar_u, False)}.")
        if cu["value"] is not None:
            coverage = cu.get("coverage")
            cov = f"; it rests on {coverage:.1%} of the coded text, where passages of different coders overlap" \
                if coverage is not None else ""
            parts.append(f"cuα, which compares the codes applied where the coders' passages overlap, was "
                         f"{_with_ci(cu, False)}{cov}.")
        else:
            parts.append(f"cuα is undefined: {cu['undefined_reason']}.")
    key, label = ("binary_u_alpha", "binary uα") if _not_one_variable(report) else ("k_u_alpha", "(k)uα")
    defined, undefined = _per_code(report, key, ctx, "en")
    if defined:
        low, high = min(defined, key=lambda kv: kv[1]), max(defined, key=lambda kv: kv[1])
        parts.append(f"Per code, {label} ranged from {_f(low[1])} ({low[0]}) to {_f(high[1])} ({high[0]}), median "
                     f"{_f(statistics.median(v for _, v in defined))}.")
    if undefined:
        shown = ", ".join(undefined[:5]) + (", …" if len(undefined) > 5 else "")
        parts.append(f"For {len(undefined)} code{'s' if len(undefined) != 1 else ''} ({shown}) {label} is undefined "
                     "(for example, no coder used the code, or its passages never met another coder's passage), so "
                     "no value is reported.")
    if how:
        parts.append(how.strip())
    if note := _not_independent(report, False):
        parts.append(note)
    refs = "\n".join(SPAN_REFERENCES)
    return " ".join(parts) + f"\n\nReferences\n{refs}\n"


def _chinese(report: dict[str, Any], ctx: StudyContext) -> str:
    coders = report["coders"]
    n_t, length = report["n_transcripts"], report["continuum_length"]
    overall = report["overall"]
    count = {2: "两", 3: "三", 4: "四", 5: "五"}.get(len(coders), str(len(coders)))
    names = report.get("transcripts") or []
    listed = f"：{'、'.join(names)}" if 0 < len(names) <= 10 else ""
    share = report.get("coded_share")
    share_text = f"，每名编码员平均编码了其中{share:.1%}的文本" if share is not None else ""
    parts = [f"{count}名编码员（{'、'.join(coders)}）使用包含{ctx.codebook_codes}个代码的编码本，各自对全部编码员均已完成的"
             f"{n_t}份访谈转录稿（共{length:,}字{listed}）进行了编码，编码片段的起止位置由编码员各自选定。",
             "因此，信度检验采用适用于自选片段的Krippendorff单元化alpha系数（Krippendorff et al., 2016; "
             f"Krippendorff, 2019），每份转录稿整体计算，未编码文本亦计入{share_text}。"]
    if ctx.rollup:
        parts.append("分析时各代码的下级代码并入其上级代码。")
    u, bar_u, cu = overall["u_alpha"], overall["binary_u_alpha"], overall["cu_alpha"]
    if _not_one_variable(report):
        parts.append("由于编码员对重叠的文本同时使用了其中多个代码，这些代码并非同一变量下互斥的取值，故不报告uα、|uα、cuα与(k)uα，"
                     "而对每个代码单独以“出现与否”评估（二元uα）。")
    elif u["value"] is None:
        parts.append(f"总体系数无定义：{u['undefined_reason']}。")
    else:
        reading = {
            "reliable": f"达到{KRIPPENDORFF_RELIABLE:.3f}的可靠标准",
            "tentative": f"低于{KRIPPENDORFF_RELIABLE:.3f}的可靠标准，但高于{KRIPPENDORFF_TENTATIVE:.3f}的下限，仅可用于得出初步结论",
            "unacceptable": f"低于{KRIPPENDORFF_TENTATIVE:.3f}的最低可接受水平",
        }[krippendorff_band(u["value"])]
        parts.append(f"同时比较片段位置与所用代码（含未编码文本）的uα为{_with_ci(u, True)}，{reading}（Krippendorff, 2004）。")
        if bar_u["value"] is not None:
            parts.append(f"仅比较编码员是否认为同一段文本相关的|uα为{_with_ci(bar_u, True)}。")
        if cu["value"] is not None:
            coverage = cu.get("coverage")
            cov = f"，其依据为不同编码员片段相互重叠的部分，占已编码文本的{coverage:.1%}" if coverage is not None else ""
            parts.append(f"在编码片段相互重叠之处比较所用代码的cuα为{_with_ci(cu, True)}{cov}。")
        else:
            parts.append(f"cuα无定义：{cu['undefined_reason']}。")
    key, label = ("binary_u_alpha", "二元uα") if _not_one_variable(report) else ("k_u_alpha", "(k)uα")
    defined, undefined = _per_code(report, key, ctx, "zh")
    if defined:
        low, high = min(defined, key=lambda kv: kv[1]), max(defined, key=lambda kv: kv[1])
        parts.append(f"各代码的{label}介于{_f(low[1])}（{low[0]}）与{_f(high[1])}（{high[0]}）之间，中位数为"
                     f"{_f(statistics.median(v for _, v in defined))}。")
    if undefined:
        shown = "、".join(undefined[:5]) + ("等" if len(undefined) > 5 else "")
        parts.append(f"另有{len(undefined)}个代码（{shown}）的{label}无定义（例如没有编码员使用该代码，或其片段从未与其他编码员的片段重叠），"
                     "故不报告其数值。")
    boot = report.get("bootstrap")
    if boot:
        parts.append(f"置信区间为以转录稿为单位的百分位Bootstrap区间（重抽样{boot['resamples']:,}次，随机种子{boot['seed']}）。")
    parts.append(_not_independent(report, True))
    refs = "\n".join(SPAN_REFERENCES)
    return "".join(parts) + f"\n\n参考文献\n{refs}\n"
