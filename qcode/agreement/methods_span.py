"""A methods-section paragraph (Chinese or English) for agreement on coder-chosen spans (the uα family).

It says why the unitizing alpha was used (coders chose their own passages), what each coefficient
measures, the pooled values with their bootstrap intervals over transcripts, the share of the text
that was coded and the coverage of cuα, the per-code (k)uα, and reads uα by Krippendorff's (2004)
thresholds. Undefined figures are named as such, never given a number. Every sentence is a catalogue
message, written in the paragraph's language (see `methods`).
"""

from __future__ import annotations

import statistics

from qcode.agreement.figures import SpanAgreement
from qcode.agreement.labels import decimals
from qcode.agreement.messages import translated
from qcode.agreement.methods import (
    REFERENCES,
    Punctuation,
    StudyContext,
    listing,
    number_word,
    reading,
    with_ci,
    writing_in,
)
from qcode.agreement.result import Result
from qcode.agreement.unitizing_report import NOT_ONE_VARIABLE
from qcode.i18n import N_, _, counted

SPAN_REFERENCES = (
    "Krippendorff, K. (2019). Content analysis: An introduction to its methodology (4th ed.). Thousand Oaks, CA: "
    "Sage.",
    "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the reliability of unitizing textual "
    "continua: Further developments. Quality & Quantity, 50(6), 2347–2364.",
    REFERENCES["krippendorff"],
)


def _figure(result: Result) -> str:
    assert result.value is not None  # only defined figures are written
    return decimals(result.value) + with_ci(result)


def _per_code(report: SpanAgreement, key: str, ctx: StudyContext, language: str
              ) -> tuple[list[tuple[str, float]], list[str]]:
    """Per-code values by code name (with id), the defined ones and the names of the undefined ones."""
    defined, undefined = [], []
    for code, table in report.per_code.items():
        value = table[key].value
        name = ctx.name(code, language)
        if value is None:
            undefined.append(name)
        else:
            defined.append((name, value))
    return defined, undefined


def _not_independent(report: SpanAgreement, p: Punctuation) -> str:
    seen = report.scope.not_independent if report.scope is not None else ()
    if not seen:
        return ""
    pairs = p.items.join(f"{s.coder}/{s.transcript}" for s in seen)
    return _("Note: these coders saw other coders' codings before completing the transcript, so it was not coded "
             "independently: {pairs}.").format(pairs=pairs)


def _not_one_variable(report: SpanAgreement) -> bool:
    return NOT_ONE_VARIABLE in (report.overall.figures["u_alpha"].undefined_reason or "")


def span_methods_paragraph(report: SpanAgreement, context: StudyContext, language: str = "en") -> str:
    """The paragraph and its references, in `language` ("en" or "zh")."""
    with writing_in(language) as p:
        parts = [_material(report, context, p)]
        if context.rollup:
            parts.append(_("Codes were analysed with their sub-codes rolled up into them."))
        parts += _overall(report)
        parts += _per_code_sentences(report, context, language, p)
        if report.bootstrap is not None:
            parts.append(_("Intervals are percentile bootstrap intervals over transcripts ({resamples:,} resamples, "
                           "seed {seed}).").format(resamples=report.bootstrap.resamples, seed=report.bootstrap.seed))
        parts.append(_not_independent(report, p))
        refs = "\n".join(SPAN_REFERENCES)
        return p.sentences.join(part for part in parts if part) + f"\n\n{_('References')}\n{refs}\n"


def _material(report: SpanAgreement, ctx: StudyContext, p: Punctuation) -> str:
    names = list(report.scope.transcripts) if report.scope is not None else []
    listed = _(": {names}").format(names=p.items.join(names)) if 0 < len(names) <= 10 else ""
    first = counted(report.n_transcripts,
                    N_("{number} coders ({coders}) each coded the {count} interview transcript that all of them "
                       "completed ({characters:,} characters{listed}) with {codebook}, each choosing the passages "
                       "they coded."),
                    N_("{number} coders ({coders}) each coded the {count} interview transcripts that all of them "
                       "completed ({characters:,} characters{listed}) with {codebook}, each choosing the passages "
                       "they coded."),
                    number=number_word(len(report.coders)), coders=p.items.join(report.coders),
                    characters=report.continuum_length, listed=listed,
                    codebook=counted(ctx.codebook_codes, N_("a codebook of {count} code"),
                                     N_("a codebook of {count} codes")))
    share = report.coded_share
    coded = _("; on average each coder coded {share:.1%} of this text").format(share=share) if share is not None \
        else ""
    second = _("Reliability was therefore assessed with Krippendorff's alpha for unitized continua (Krippendorff et "
               "al., 2016; Krippendorff, 2019), each transcript taken whole, uncoded text included{coded}.").format(
        coded=coded)
    return p.sentences.join((first, second))


def _overall(report: SpanAgreement) -> list[str]:
    figures = report.overall.figures
    u, bar_u, cu = figures["u_alpha"], figures["binary_u_alpha"], figures["cu_alpha"]
    if _not_one_variable(report):
        return [_("Because coders applied several of these codes to overlapping text, the codes are not the mutually "
                  "exclusive values of one variable, so uα, |uα, cuα and (k)uα are not reported; each code was "
                  "instead assessed on its own, as present or absent (binary uα).")]
    if u.value is None:
        return [_("The overall coefficients are undefined: {reason}.").format(
            reason=translated(u.undefined_reason or ""))]
    out = [_("uα, which compares both where the coders placed passages and which codes they applied, uncoded text "
             "included, was {value}, {reading} (Krippendorff, 2004).").format(value=_figure(u),
                                                                             reading=reading(u.value))]
    if bar_u.value is not None:
        out.append(_("|uα, which asks only whether the coders found the same stretches of text relevant, was "
                     "{value}.").format(value=_figure(bar_u)))
    if cu.value is None:
        out.append(_("cuα is undefined: {reason}.").format(reason=translated(cu.undefined_reason or "")))
        return out
    coverage = report.overall.coverage
    rests = _("; it rests on {share:.1%} of the coded text, where passages of different coders overlap").format(
        share=coverage) if coverage is not None else ""
    out.append(_("cuα, which compares the codes applied where the coders' passages overlap, was {value}{rests}.")
               .format(value=_figure(cu), rests=rests))
    return out


def _per_code_sentences(report: SpanAgreement, ctx: StudyContext, language: str, p: Punctuation) -> list[str]:
    key, label = ("binary_u_alpha", _("binary uα")) if _not_one_variable(report) else ("k_u_alpha", "(k)uα")
    defined, undefined = _per_code(report, key, ctx, language)
    out = []
    if defined:
        low, high = min(defined, key=lambda kv: kv[1]), max(defined, key=lambda kv: kv[1])
        out.append(_("Per code, {label} ranged from {low} ({low_code}) to {high} ({high_code}), median {median}.")
                   .format(label=label, low=decimals(low[1]), low_code=low[0], high=decimals(high[1]),
                           high_code=high[0], median=decimals(statistics.median(v for _name, v in defined))))
    if undefined:
        out.append(counted(len(undefined),
                           N_("For {count} code ({names}) {label} is undefined (for example, no coder used the "
                              "code, or its passages never met another coder's passage), so no value is reported."),
                           N_("For {count} codes ({names}) {label} is undefined (for example, no coder used the "
                              "code, or its passages never met another coder's passage), so no value is reported."),
                           names=listing(undefined, 5, p.items), label=label))
    return out
