"""A methods-section paragraph (Chinese or English) from an agreement report, with its sources.

The paragraph states who coded what, the unit of analysis and the unit rule, the per-code statistics
(the main table for multi-label coding), the overall figure with its confidence interval, and how to
read them: kappa by Landis & Koch (1977), alpha by Krippendorff (2004). It only reports figures that
are defined, and says so when one is not.

Every sentence is a catalogue message, written in the paragraph's language (`--methods zh|en`, which
need not be the interface language); only the punctuation between sentences and names differs in code.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from qcode.agreement.figures import UnitAgreement
from qcode.agreement.labels import decimals, figure, interval
from qcode.agreement.messages import translated
from qcode.agreement.result import Result
from qcode.agreement.scope import Compared, ComparedTranscript, NotIndependent
from qcode.i18n import N_, _, counted, using_language

LANDIS_KOCH = (  # upper bound (inclusive), the band's name
    (0.0, N_("poor")),
    (0.20, N_("slight")),
    (0.40, N_("fair")),
    (0.60, N_("moderate")),
    (0.80, N_("substantial")),
    (1.0, N_("almost perfect")),
)
KRIPPENDORFF_RELIABLE = 0.800
KRIPPENDORFF_TENTATIVE = 0.667
NUMBERS = (N_("One"), N_("Two"), N_("Three"), N_("Four"), N_("Five"), N_("Six"), N_("Seven"), N_("Eight"),
           N_("Nine"), N_("Ten"))

REFERENCES = {
    "landis": "Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for categorical data. "
              "Biometrics, 33(1), 159–174.",
    "krippendorff": "Krippendorff, K. (2004). Content analysis: An introduction to its methodology (2nd ed.). "
                    "Thousand Oaks, CA: Sage.",
}


@dataclass(frozen=True, slots=True)
class Punctuation:
    """What separates names and sentences in a language (typography, not wording)."""

    items: str  # between names: coders, codes
    groups: str  # between entries that may hold commas themselves
    clauses: str  # between clauses of one sentence
    sentences: str  # between sentences


PUNCTUATION = {"en": Punctuation(", ", "; ", "; ", " "), "zh": Punctuation("、", "、", "；", "")}


@contextmanager
def writing_in(language: str) -> Iterator[Punctuation]:
    """Messages in `language` inside the block, and its punctuation."""
    if language not in PUNCTUATION:
        raise ValueError(f"unknown language {language!r}")
    with using_language(language):
        yield PUNCTUATION[language]


@dataclass(frozen=True)
class StudyContext:
    """What the report does not know: the codebook's size, whether codes were rolled up, the codes' names.

    `code_names` maps a code id to its (Chinese, English) names; either may repeat the other when the
    codebook gives one language only. Codes without a name are shown by id.
    """

    codebook_codes: int
    rollup: bool = False
    code_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def plain_name(self, code: str, language: str) -> str | None:
        """The code's name in `language` (None when it has none other than its id)."""
        names = self.code_names.get(code)
        name = (names[0] if language == "zh" else names[1]) if names else ""
        return name if name and name != code else None

    def name(self, code: str, language: str) -> str:
        """The code by name with its id, e.g. 相对优势（T.ADVANTAGE） or Relative advantage (T.ADVANTAGE)."""
        name = self.plain_name(code, language)
        if name is None:
            return code
        with using_language(language):
            return _("{name} ({code})").format(name=name, code=code)


def landis_koch(value: float) -> str:
    """The Landis & Koch (1977) band of a kappa-type value (a message: translate it where shown)."""
    if value < 0:
        return LANDIS_KOCH[0][1]
    for upper, band in LANDIS_KOCH[1:]:
        if value <= upper:
            return band
    return LANDIS_KOCH[-1][1]


def krippendorff_band(value: float) -> str:
    """'reliable', 'tentative' or 'unacceptable' by Krippendorff's (2004) thresholds."""
    if value >= KRIPPENDORFF_RELIABLE:
        return "reliable"
    if value >= KRIPPENDORFF_TENTATIVE:
        return "tentative"
    return "unacceptable"


def number_word(n: int) -> str:
    """"Two" / "两" for small counts at the start of a sentence, the digits otherwise."""
    return _(NUMBERS[n - 1]) if 1 <= n <= len(NUMBERS) else str(n)


def listing(names: list[str], limit: int, separator: str) -> str:
    """The first `limit` names, and a sign that more follow."""
    shown = separator.join(names[:limit])
    return _("{names}, …").format(names=shown) if len(names) > limit else shown


def reading(value: float) -> str:
    """How Krippendorff (2004) reads an alpha of `value`, as a clause."""
    texts = {
        "reliable": N_("which meets the {reliable:.3f} threshold for reliable data"),
        "tentative": N_("which is below {reliable:.3f} but above {tentative:.3f}, acceptable only for tentative "
                        "conclusions"),
        "unacceptable": N_("which is below the {tentative:.3f} minimum for drawing conclusions"),
    }
    return _(texts[krippendorff_band(value)]).format(reliable=KRIPPENDORFF_RELIABLE,
                                                     tentative=KRIPPENDORFF_TENTATIVE)


def with_ci(result: Result) -> str:
    """" (95% CI [0.1, 0.6])", or "" without an interval."""
    return _(" (95% CI {ci})").format(ci=interval(result)) if result.ci95 is not None else ""


@dataclass(frozen=True)
class _Figures:
    """The numbers the paragraph needs, pulled out of the report once."""

    coders: list[str]
    unit: str
    pairable: int
    compared: tuple[ComparedTranscript, ...]  # transcripts rated by 2+ coders
    not_compared: list[str]
    characters: int
    not_independent: tuple[NotIndependent, ...]  # saw others' codings before completing
    kappas: list[tuple[str, float, Result]]  # per code, defined only: code, value, result
    undefined_codes: list[str]
    per_code: Mapping[str, Mapping[str, Result]]
    masi: Result
    overall_alpha: Result
    overall_kappa: Result
    percent: Result
    resamples: int
    seed: int | None
    min_share: float | None


def _figures(report: UnitAgreement) -> _Figures:
    kappas, undefined = [], []
    for code, table in report.per_code.items():
        kappa = table["cohen_kappa"]
        if kappa.value is None:
            undefined.append(code)
        else:
            kappas.append((code, kappa.value, kappa))
    scope = report.scope
    compared = scope.compared if scope is not None and scope.compared is not None else Compared((), ())
    options = scope.options if scope is not None else None
    return _Figures(
        coders=list(report.coders), unit=report.unit, pairable=report.n_units_pairable,
        compared=compared.by_transcript, not_compared=[name for name, _coders in compared.not_compared],
        characters=compared.characters, not_independent=scope.not_independent if scope is not None else (),
        kappas=kappas, undefined_codes=undefined, per_code=report.per_code, masi=report.masi,
        overall_alpha=report.overall["krippendorff_alpha_nominal"], overall_kappa=report.overall["cohen_kappa"],
        percent=report.overall["percent_agreement"],
        resamples=report.bootstrap.resamples if report.bootstrap is not None else 0,
        seed=report.bootstrap.seed if report.bootstrap is not None else None,
        min_share=getattr(options, "min_share", None),
    )


def methods_paragraph(report: UnitAgreement, context: StudyContext, language: str = "en") -> str:
    """The paragraph, a per-code table and the references, in `language` ("en" or "zh")."""
    f = _figures(report)
    with writing_in(language) as p:
        parts = [_introduction(f, context, p), _material(f, p), _independence(f, p)]
        if not f.compared:  # nothing to report: say so, and nothing else
            return p.sentences.join(part for part in parts if part) + "\n"
        parts += [_unit_of_analysis(f)]
        if context.rollup:
            parts.append(_("Codes were analysed with their sub-codes rolled up into them."))
        parts += [*_per_code_sentences(f, context, language, p), *_overall(f)]
        text = p.sentences.join(part for part in parts if part)
        table = _table(f, context, language, p)
        return (f"{text}\n\n{table}\n\n{_('References')}\n{REFERENCES['krippendorff']}\n"
                f"{REFERENCES['landis']}\n")


def _codings_compared(f: _Figures) -> int:
    """How many (coder, transcript) codings enter the figures."""
    return sum(len(t.coders) for t in f.compared)


def _all_rated_by_all(f: _Figures) -> bool:
    return all(len(t.coders) == len(f.coders) for t in f.compared)


def _introduction(f: _Figures, ctx: StudyContext, p: Punctuation) -> str:
    codebook = counted(ctx.codebook_codes, N_("a codebook of {count} code"), N_("a codebook of {count} codes"))
    return counted(len(f.coders), N_("{number} coder ({coders}) coded interview transcripts with {codebook}."),
                   N_("{number} coders ({coders}) coded interview transcripts with {codebook}."),
                   number=number_word(len(f.coders)), coders=p.items.join(f.coders), codebook=codebook)


def _material(f: _Figures, p: Punctuation) -> str:
    if not f.compared:
        return _("No transcript was completed by two or more of these coders, so no agreement figure could be "
                 "computed.")
    everyone = _all_rated_by_all(f)
    who = (_("all coders") if len(f.coders) > 2 else _("both coders")) if everyone else _("at least two coders")
    names = p.groups.join(t.name if everyone else _("{name} ({coders})").format(name=t.name,
                                                                                coders=p.items.join(t.coders))
                          for t in f.compared)
    skipped = ""
    if f.not_compared:
        skipped = counted(len(f.not_compared),
                          N_("; {count} further transcript ({names}) was completed by fewer than two of them and "
                             "does not enter the figures"),
                          N_("; {count} further transcripts ({names}) were completed by fewer than two of them and "
                             "do not enter the figures"),
                          names=listing(f.not_compared, 6, p.items))
    return counted(len(f.compared),
                   N_("Agreement was computed on the {count} transcript that {who} had marked as completely coded "
                      "({names}; {characters:,} characters){skipped}."),
                   N_("Agreement was computed on the {count} transcripts that {who} had marked as completely coded "
                      "({names}; {characters:,} characters){skipped}."),
                   who=who, names=names, characters=f.characters, skipped=skipped)


def _independence(f: _Figures, p: Punctuation) -> str:
    if not f.compared:
        return ""
    if not f.not_independent:
        return _("Each coder coded these transcripts independently: by qcode's record, none viewed another coder's "
                 "codings of them before completing their own.")
    cases = p.clauses.join(_("{coder} viewed the other coders' codings of {transcript} before completing it").format(
        coder=s.coder, transcript=s.transcript) for s in f.not_independent)
    rest = (_("no coding of these transcripts was independent") if len(f.not_independent) >= _codings_compared(f)
            else _("the other codings were made without seeing another coder's work"))
    return _("Coding was not fully independent: {cases}; such a coding is not an independent coding of that "
             "transcript, and {rest}.").format(cases=cases, rest=rest)


UNIT_SENTENCES = {  # unit -> (N = 1, any other N)
    "transcript": (N_("Reliability was assessed with transcripts as the unit of analysis (N = {count:,} transcript "
                      "in these transcripts{rule})."),
                   N_("Reliability was assessed with transcripts as the unit of analysis (N = {count:,} transcripts "
                      "in these transcripts{rule}).")),
    "turn": (N_("Reliability was assessed with speaker turns as the unit of analysis (N = {count:,} speaker turn "
                "in these transcripts{rule})."),
             N_("Reliability was assessed with speaker turns as the unit of analysis (N = {count:,} speaker turns "
                "in these transcripts{rule}).")),
    "sentence": (N_("Reliability was assessed with sentences as the unit of analysis (N = {count:,} sentence in "
                    "these transcripts{rule})."),
                 N_("Reliability was assessed with sentences as the unit of analysis (N = {count:,} sentences in "
                    "these transcripts{rule}).")),
}
UNIT_RULES = {  # unit -> (with --min-share, without)
    "turn": (N_("; a code was counted for a turn when a coder's codings of it covered at least {share:.0%} of its "
                "characters other than white space and punctuation"),
             N_("; a code was counted for a turn when a coding covered at least one of its characters other than "
                "white space or punctuation")),
    "sentence": (N_("; a code was counted for a sentence when a coder's codings of it covered at least {share:.0%} "
                    "of its characters other than white space and punctuation"),
                 N_("; a code was counted for a sentence when a coding covered at least one of its characters "
                    "other than white space or punctuation")),
}
UNIT_COUNTS = {"transcript": (N_("{count:,} transcript"), N_("{count:,} transcripts")),
               "turn": (N_("{count:,} speaker turn"), N_("{count:,} speaker turns")),
               "sentence": (N_("{count:,} sentence"), N_("{count:,} sentences")),
               "char": (N_("{count:,} character"), N_("{count:,} characters"))}  # unit -> (singular, plural)


def _unit_of_analysis(f: _Figures) -> str:
    if f.unit == "char":
        return _("Reliability was assessed character by character (each character of a transcript is a unit, as in "
                 "NVivo's coding comparison; N = {count:,} characters compared).").format(count=f.pairable)
    rule = ""
    if f.unit in UNIT_RULES:
        with_share, without = UNIT_RULES[f.unit]
        rule = _(with_share).format(share=f.min_share) if f.min_share else _(without)
    return counted(f.pairable, *UNIT_SENTENCES[f.unit], rule=rule)


def _extreme(kappa: tuple[str, float, Result], ctx: StudyContext, language: str) -> str:
    """'0.340 for Citizenship (NPS.CITIZENSHIP; 95% CI [0.1, 0.6])', '公民权（NPS.CITIZENSHIP）的0.340（…）'."""
    code, value, result = kappa
    name = ctx.plain_name(code, language)
    ci = interval(result)
    if name is None:
        message = N_("{value} for {code}; 95% CI {ci}") if ci else N_("{value} for {code}")
    else:
        message = N_("{value} for {name} ({code}; 95% CI {ci})") if ci else N_("{value} for {name} ({code})")
    return _(message).format(value=decimals(value), name=name, code=code, ci=ci)


def _per_code_sentences(f: _Figures, ctx: StudyContext, language: str, p: Punctuation) -> list[str]:
    out = []
    if f.kappas:
        low = min(f.kappas, key=lambda kv: kv[1])
        high = max(f.kappas, key=lambda kv: kv[1])
        median = statistics.median(v for _code, v, _result in f.kappas)
        substantial = sum(1 for _code, v, _result in f.kappas if v > 0.60)
        light = _(" (mean of coder pairs, Light’s kappa)") if len(f.coders) > 2 else ""
        out.append(_("For each code, agreement on its presence or absence was measured with Cohen's kappa{light} and "
                     "Krippendorff's alpha (Table 1).").format(light=light))
        if len(f.kappas) == 1:  # a range from a value to itself reads wrongly
            message = (N_("Only one code has a defined kappa, {value}, which reaches substantial or almost perfect "
                          "agreement (κ > 0.60; Landis & Koch, 1977).") if substantial else
                       N_("Only one code has a defined kappa, {value}, below substantial agreement (κ ≤ 0.60; "
                          "Landis & Koch, 1977)."))
            out.append(_(message).format(value=_extreme(low, ctx, language)))
        else:
            reached = _("{count} of them").format(count=substantial) if substantial else _("none of them")
            out.append(counted(len(f.kappas),
                               N_("Across the {count} code with a defined kappa, kappa ranged from {low} to {high}, "
                                  "median {median}; {reached} reached substantial or almost perfect agreement "
                                  "(κ > 0.60; Landis & Koch, 1977)."),
                               N_("Across the {count} codes with a defined kappa, kappa ranged from {low} to {high}, "
                                  "median {median}; {reached} reached substantial or almost perfect agreement "
                                  "(κ > 0.60; Landis & Koch, 1977)."),
                               low=_extreme(low, ctx, language), high=_extreme(high, ctx, language),
                               median=decimals(median), reached=reached))
    if f.undefined_codes:
        shown = listing([ctx.name(c, language) for c in f.undefined_codes], 5, p.items)
        out.append(counted(len(f.undefined_codes),
                           N_("For {count} code ({names}) kappa is undefined (for example, no coder used the code), "
                              "so no value is reported."),
                           N_("For {count} codes ({names}) kappa is undefined (for example, no coder used the code), "
                              "so no value is reported."), names=shown))
    return out


def _bootstrap(f: _Figures) -> str:
    if not f.resamples:
        return ""
    return _("; percentile bootstrap over units, {resamples:,} resamples, seed {seed}").format(
        resamples=f.resamples, seed=f.seed)


def _overall(f: _Figures) -> list[str]:
    out = []
    alpha = f.masi if f.masi.value is not None else f.overall_alpha
    if alpha.value is not None:
        ci = _(" (95% CI {ci}{bootstrap})").format(ci=interval(alpha), bootstrap=_bootstrap(f)) if alpha.ci95 else ""
        sentence = (N_("Overall, Krippendorff's alpha over the coders' sets of codes (MASI distance) was "
                       "{value}{ci}, {reading} (Krippendorff, 2004).") if alpha is f.masi else
                    N_("Overall, Krippendorff's alpha (nominal) was {value}{ci}, {reading} (Krippendorff, 2004)."))
        out.append(_(sentence).format(value=decimals(alpha.value), ci=ci, reading=reading(alpha.value)))
    kappa = f.overall_kappa
    if kappa.value is not None and alpha is f.masi:
        percent = _(", with {share:.1%} agreement").format(share=f.percent.value) if f.percent.value is not None \
            else ""
        out.append(_("Treating each unit's code as a single category, Cohen's kappa was {value}{ci}{percent}, {band} "
                     "agreement by Landis and Koch (1977).").format(value=decimals(kappa.value), ci=with_ci(kappa),
                                                                    percent=percent, band=_(landis_koch(kappa.value))))
    elif kappa.value is None and kappa.undefined_reason:
        out.append(_("Single-label overall statistics do not apply because units carry several codes from one "
                     "coder; the per-code figures and the label-set alpha are reported instead.")
                   if "several codes" in kappa.undefined_reason else
                   _("An overall kappa is not reported: {reason}.").format(reason=translated(kappa.undefined_reason)))
    if f.resamples and alpha.ci95 is None and kappa.ci95 is None:
        out.append(_("Confidence intervals: percentile bootstrap over units, {resamples:,} resamples, seed {seed}.")
                   .format(resamples=f.resamples, seed=f.seed))
    return out


def _table(f: _Figures, ctx: StudyContext, language: str, p: Punctuation) -> str:
    """Every code of the analysis by name, with kappa, alpha and percent agreement (and their intervals)."""
    boot = _("; 95% CIs: percentile bootstrap, {resamples:,} resamples, seed {seed}").format(
        resamples=f.resamples, seed=f.seed) if f.resamples else ""
    title = _("Table 1. Agreement per code (N = {counted}{bootstrap}; —: undefined)").format(
        counted=counted(f.pairable, *UNIT_COUNTS[f.unit]), bootstrap=boot)
    rows, undefined = [], []
    for code, table in f.per_code.items():
        kappa, alpha = table["cohen_kappa"], table["krippendorff_alpha_nominal"]
        if kappa.value is None and alpha.value is None:
            undefined.append(ctx.name(code, language))
            continue
        percent = table["percent_agreement"].value
        rows.append([ctx.name(code, language), figure(kappa), figure(alpha),
                     "—" if percent is None else f"{percent:.1%}"])
    lines = [title, "", _("| Code | Cohen's kappa | Krippendorff's alpha | Percent agreement |"), "|---|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    if undefined:
        lines.append("")
        lines.append(counted(len(undefined),
                             N_("Kappa and alpha undefined (for example, no coder used the code), {count} code: "
                                "{names}."),
                             N_("Kappa and alpha undefined (for example, no coder used the code), {count} codes: "
                                "{names}."), names=p.groups.join(undefined)))
    return "\n".join(lines)
