"""Markdown documents for a thesis: coded passages to quote, and the codebook appendix with counts.

Passages are block quotes whose lines are exactly the coded text (`text[start:end]`, split at its
line breaks, nothing escaped or merged), each followed by a line naming the speaker, the offsets
`[start, end)`, the coder and, with a rollup, the code; memos follow as their own paragraph. Labels
are in Chinese (`zh`) or English (`en`); code names and codebook fields in the language(s) chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from qcode.domain.codebook import Code, Codebook, Text
from qcode.i18n import N_, _, counted, using_language
from qcode.reports.frequencies import Counts, FrequencyTable
from qcode.reports.quotes import Quote, QuoteCollection, format_time
from qcode.reports.unit_counts import counted_units

# Labels of the Markdown documents, by key: English message ids, translated with the catalogue.
_LABEL_MESSAGES: dict[str, str] = {
    "quotes_title": N_("Coded passages: {code}"),
    "code": N_("Code: {code}"),
    "with_subtree": N_(" (with the codes under it: {codes})"),
    "summary": N_("{passages} from {transcripts}; coders: {coders}"),
    "offsets": N_(
        "Positions are character offsets [start, end), from 0, in the transcript's canonical text"
    ),
    "section": N_("{transcript} ({passages})"),
    "coder": N_("coder {coder}"),
    "memo": N_("Memo: "),
    "no_speaker": N_("(no speaker label)"),
    "none": N_("(none)"),
    "no_passages": N_("No passages of this code in the selection."),
    "appendix_title": N_("Appendix: Codebook{title}"),
    "codebook_id": N_("Codebook {id}, version {version}."),
    "counts_note": N_(
        "Counts: codings by {coders} in {transcripts}; {unit}s follow the unit rule "
        "(a coding marks a {unit} when it covers at least one of its characters that is not white "
        "space or punctuation), and a {unit} marked by several coders counts once."
    ),
    "overview": N_("Overview"),
    "definition": N_("Definition"),
    "include": N_("Include"),
    "exclude": N_("Exclude"),
    "examples": N_("Examples"),
    "description": N_("Description"),
    "count": N_("Count"),
    "subtree_count": N_("Total with the codes under it"),
    "counts": N_("{codings}, {units}, {transcripts}"),
    "group": N_("group"),
    "turn": N_("turn"),
    "sentence": N_("sentence"),
    "h_code": N_("Code"),
    "h_name": N_("Name"),
    "h_codings": N_("Codings"),
    "h_transcripts": N_("Transcripts"),
    "sep": N_(", "),
    "colon": N_(": "),
    "quote": N_("\"{text}\""),
}

LANGUAGES = ("zh", "en")


def _labels(lang: str) -> dict[str, str]:
    """The labels in `lang` (Chinese unless English is asked for), from the message catalogue."""
    with using_language("en" if lang == "en" else "zh"):
        return {key: _(message) for key, message in _LABEL_MESSAGES.items()}


def _counted(lang: str, n: int, unit: str) -> str:
    """`n` passages, codings or units (turn, sentence, transcript) in `lang`, in the number `n` needs."""
    with using_language("en" if lang == "en" else "zh"):
        if unit == "passage":
            return counted(n, "{count} passage", "{count} passages")
        if unit == "coding":
            return counted(n, "{count} coding", "{count} codings")
        return counted_units(n, unit)


def _code_title(book: Codebook, code_id: str, lang: str) -> str:
    return f"{code_id} {book.display_name(code_id, lang)}"


def _block_quote(text: str) -> list[str]:
    """The text as Markdown block-quote lines, one per line of the text, unchanged."""
    return [f"> {line}" if line else ">" for line in text.split("\n")]


def quotes_markdown(collection: QuoteCollection, book: Codebook, lang: str = "zh") -> str:
    """The passages as a Markdown document: a heading per transcript, a block quote per passage."""
    t = _labels(lang)
    sep = t["sep"]
    title = _code_title(book, collection.code, lang)
    lines = [f"# {t['quotes_title'].format(code=title)}", ""]
    code_line = t["code"].format(code=title)
    if collection.rollup and len(collection.codes) > 1:
        code_line += t["with_subtree"].format(codes=sep.join(c for c in collection.codes if c != collection.code))
    transcripts_with = sorted({q.transcript for q in collection.quotes})
    coders = sep.join(collection.coders) or t["none"]
    lines += [
        f"- {code_line}",
        "- " + t["summary"].format(passages=_counted(lang, len(collection.quotes), "passage"),
                                   transcripts=_counted(lang, len(transcripts_with), "transcript"), coders=coders),
        f"- {t['offsets']}",
        "",
    ]
    if not collection.quotes:
        lines += [t["no_passages"], ""]
    by_transcript: dict[str, list[Quote]] = {}
    for quote in collection.quotes:
        by_transcript.setdefault(quote.transcript, []).append(quote)
    show_code = collection.rollup and len(collection.codes) > 1
    for transcript, quotes in by_transcript.items():
        lines += [f"## {t['section'].format(transcript=transcript, passages=_counted(lang, len(quotes), 'passage'))}", ""]
        for quote in quotes:
            speaker = quote.speaker if quote.speaker is not None else t["no_speaker"]
            parts = [speaker, f"[{quote.start}, {quote.end})", t["coder"].format(coder=quote.coder)]
            if quote.time is not None:  # the turn's time in the recording, to check the quote against it
                parts.insert(1, f"[{format_time(quote.time)}]")
            if show_code:
                parts.append(_code_title(book, quote.code, lang))
            lines += _block_quote(quote.text)
            lines += ["", "—— " + " · ".join(parts), ""]
            if quote.memo:
                lines += [t["memo"] + quote.memo, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- codebook appendix ----------------------------------------------------------------------------


def _texts(text: Text, languages: Sequence[str]) -> list[str]:
    """The text in each chosen language that it is given in (a plain text once)."""
    if not text:
        return []
    if text.plain:
        return [text.plain]
    given = dict(text.translations)
    chosen = [given[lang] for lang in languages if lang in given]
    return chosen or [text.get(languages[0])]


def _name(code: Code, languages: Sequence[str]) -> str:
    return " / ".join(_texts(code.name, languages))


def _counts_text(counts: Counts, unit: str, t: dict[str, str], lang: str) -> str:
    return t["counts"].format(codings=_counted(lang, counts.codings, "coding"), units=_counted(lang, counts.units, unit),
                              transcripts=_counted(lang, counts.transcripts, "transcript"))


def codebook_appendix(book: Codebook, table: FrequencyTable, languages: Sequence[str]) -> str:
    """The codebook with counts as a Markdown appendix: an overview table, then one section per code.

    `languages` are the languages of the codebook's texts to show (e.g. ("zh", "en") for both); the
    labels follow the first. Counts come from `table` (pooled over its coders, no breakdown).
    """
    if not languages:
        raise ValueError("at least one language is needed")
    t = _labels(languages[0])
    own = {row.code: row.total for row in table.rows if row.scope == "code"}
    subtree = {row.code: row.total for row in table.rows if row.scope == "subtree"}
    shown = [code for code in book if code.id in own or code.id in subtree]

    title = " / ".join(_texts(book.title, languages))
    lines = [f"# {t['appendix_title'].format(title=t['colon'] + title if title else '')}", ""]
    if book.id or book.version:
        lines += [t["codebook_id"].format(id=book.id or "-", version=book.version or "-"), ""]
    coders = t["sep"].join(table.coders) or t["none"]
    lines += [t["counts_note"].format(coders=coders, transcripts=_counted(languages[0], len(table.transcripts), "transcript"),
                                      unit=t[table.unit]), ""]

    unit_header = t[table.unit]
    lines += [f"## {t['overview']}", ""]
    lines.append(f"| {t['h_code']} | {t['h_name']} | {t['h_codings']} | {unit_header} | {t['h_transcripts']} |")
    lines.append("| --- | --- | ---: | ---: | ---: |")
    for code in shown:
        counts = own.get(code.id) or subtree[code.id]
        label = code.id if code.codable else f"**{code.id}**"
        name = _name(code, languages).replace("|", "\\|")
        marker = f" ({t['group']})" if not code.codable else ""
        lines.append(f"| {'&nbsp;' * 2 * book.depth(code.id)}{label} | {name}{marker} | "
                     f"{counts.codings} | {counts.units} | {counts.transcripts} |")
    lines.append("")

    for code in shown:
        level = min(2 + book.depth(code.id), 6)
        lines += [f"{'#' * level} {code.id} {_name(code, languages)}", ""]
        for field in ("description", "definition", "include", "exclude"):
            for value in _texts(getattr(code, field), languages):
                lines.append(f"- **{t[field]}**{t['colon']}{value}")
        for example in code.examples:
            for value in _texts(example, languages):
                lines.append(f"- **{t['examples']}**{t['colon']}{t['quote'].format(text=value)}")
        if code.id in own:
            lines.append(f"- **{t['count']}**{t['colon']}{_counts_text(own[code.id], table.unit, t, languages[0])}")
        if code.id in subtree:
            lines.append(f"- **{t['subtree_count']}**{t['colon']}{_counts_text(subtree[code.id], table.unit, t, languages[0])}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
