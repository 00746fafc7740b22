"""`qcode words`, `qcode search` and `qcode suggest`: word tools over the project's segmented text.

The first of these commands after an import or a dictionary change segments the changed transcripts
(with a progress bar on a terminal when it takes more than a second); later ones read the stored index.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from qcode.cli.common import DelayedProgress, open_project, print_problems, project_option
from qcode.cli.filters import by_option, filter_options
from qcode.cli.output import emit, output_option, say, to_table, write_output
from qcode.errors import InputError
from qcode.i18n import N_, _, counted

WORD_FORMATS = ("table", "csv", "json", "md", "xlsx")
TEXT_FORMATS = ("table", "csv", "json", "md")
GROUPINGS = ("corpus", "transcript", "speaker", "person", "code")


def _progress():
    return DelayedProgress(_("segmenting"))


def _xlsx_path(fmt: str, output: str | None) -> Path | None:
    if fmt != "xlsx":
        return None
    if output in (None, "-"):
        raise InputError(_("--format {format} writes a file: give it with -o FILE.{format}").format(format="xlsx"))
    return Path(output)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


# -- qcode words ----------------------------------------------------------------------------------------


@click.command()
@by_option(GROUPINGS, default="corpus",
           help="Count over the whole corpus, or per transcript, speaker label, person, code (the words inside "
                "its coded passages), or attr:NAME (per value of a transcript or person attribute).")
@click.option("--distinctive", is_flag=True,
              help="Rank each group's words by TF-IDF (what sets it apart from the other groups) instead of count.")
@click.option("--top", type=click.IntRange(min=0), default=30, show_default=True, help="Words per group; 0 for all.")
@click.option("--min-len", "min_length", type=click.IntRange(min=1), default=2, show_default=True,
              help="Leave out words shorter than this many characters.")
@click.option("--stopwords", "stopword_files", multiple=True, metavar="FILE",
              help="More stop words: a UTF-8 file with one word per line, # for comments (repeatable).")
@click.option("--no-default-stopwords", is_flag=True,
              help="Do not leave out qcode's shipped Chinese and English stop words.")
@click.option("--numbers", is_flag=True, help="Count numbers (2024, 3.5) as words too.")
@filter_options(coders_help=N_("With --by code: only these coders' codings (default: every human coder)."),
                codes_help=N_("With --by code: only these codes, each with the codes under it (ids, comma-separated or "
                              "repeated)."))
@click.option("--format", "fmt", type=click.Choice(WORD_FORMATS), default="table", show_default=True)
@output_option(N_("Write to FILE (needed for xlsx)."))
@project_option
@click.pass_context
def words(ctx: click.Context, by: str, distinctive: bool, top: int, min_length: int, stopword_files: tuple[str, ...],
          no_default_stopwords: bool, numbers: bool, selection, fmt: str, output: str | None,
          project: str | None) -> None:
    """Word frequencies, or distinctive words, of what the speakers said.

    Chinese is segmented with jieba and the project dictionary (dictionary.txt plus the codebook's
    names and keywords), English with a simple tokenizer (lower-cased). Only the speech is counted,
    never speaker labels, punctuation or white space. Stop words are the shipped lists of function
    words and fillers (嗯, 啊, 那个, 就是 ...; 问题, 觉得, 认为 are kept) plus --stopwords files; the
    codebook's keywords are never stop words. `per_1000` is per 1,000 words of the group's text.

    --distinctive scores tf x ln(N/df) per group, where N is the number of groups and df the
    groups containing the word; a word every group uses scores 0 and is not listed.
    """
    from qcode.project import wordtools  # lazy: --help speed

    xlsx = _xlsx_path(fmt, output)
    if selection.coders and by != "code":
        raise InputError(_("--coders chooses whose codings count with --by code"))
    if selection.codes and by != "code":
        raise InputError(_("--codes chooses which codes are counted with --by code"))
    store = open_project(ctx, project).store
    word_filter = wordtools.word_filter(store, stop_word_files=[Path(p) for p in stopword_files],
                                        default_stop_words=not no_default_stopwords, min_length=min_length,
                                        numbers=numbers)
    progress = _progress()
    try:
        counts = wordtools.count_words(store, wordtools.WordSelection(by, selection), progress=progress)
    finally:
        progress.close()
    if distinctive:
        found: list = wordtools.distinctive(counts, word_filter, top or None)
        title = _("Distinctive words by {by} (TF-IDF)").format(by=by)
    else:
        found = wordtools.frequencies(counts, word_filter, top or None)
        title = _("Word frequencies") if by == "corpus" else _("Word frequencies by {by}").format(by=by)
    headers, rows, records = _word_rows(by, found, distinctive, counts.code_names)
    _emit_words(fmt, title, headers, rows, records, output, xlsx)
    left_out = [_("stop words")] if stopword_files or not no_default_stopwords else []
    left_out += [] if numbers else [_("numbers")]
    left_out += [_("words under {count} characters").format(count=min_length)] if min_length > 1 else []
    running = sum(sum(counter.values()) for counter in counts.groups.values())
    summary = _("{words} of text in {groups}").format(
        words=counted(running, "{count:,} word", "{count:,} words"),
        groups=counted(len(counts.groups), "{count} group", "{count} groups"))
    say(summary + (_("; left out: {what}.").format(what=", ".join(left_out)) if left_out else "."), err=True)


def _word_rows(by: str, found: list, distinctive: bool, code_names: dict[str, str]
               ) -> tuple[list[str], list[list[Any]], list[dict]]:
    """Headers, rows and JSON records; the group column is named after --by (none for the corpus)."""
    if distinctive:
        headers = ["rank", "word", "count", "documents", "tfidf"]
        rows = [[r.rank, r.word, r.count, r.documents, r.tfidf] for r in found]
        extra = [{"tf": r.tf, "idf": r.idf} for r in found]
    elif by == "corpus":
        headers = ["rank", "word", "count", "per_1000", "transcripts"]
        rows = [[r.rank, r.word, r.count, r.per_1000, r.documents] for r in found]
        extra = [{} for _ in found]
    else:
        headers = ["rank", "word", "count", "per_1000"]
        rows = [[r.rank, r.word, r.count, r.per_1000] for r in found]
        extra = [{} for _ in found]
    if by == "code":
        headers = ["code", "name", *headers]
        rows = [[r.group, code_names.get(r.group, ""), *row] for r, row in zip(found, rows)]
    elif by != "corpus":
        headers = [by, *headers]
        rows = [[r.group, *row] for r, row in zip(found, rows)]
    records = [{**dict(zip(headers, row)), **more} for row, more in zip(rows, extra)]
    return headers, rows, records


def _emit_words(fmt: str, title: str, headers: list[str], rows: list[list[Any]], records: list[dict],
                output: str | None, xlsx: Path | None) -> None:
    if xlsx is not None:
        from qcode.reports.table import Table  # lazy: --help speed
        from qcode.reports.xlsx import write_workbook  # lazy: --help speed

        numeric = tuple(i for i, h in enumerate(headers) if h in ("rank", "count", "per_1000", "transcripts",
                                                                 "documents", "tfidf"))
        print_problems(write_workbook(xlsx, [Table(title, tuple(headers), tuple(map(tuple, rows)), numeric)]))
        say(_("wrote {path}").format(path=xlsx), err=True)
        return
    if fmt in ("table", "md"):
        shown = [[f"{v:.4f}" if h == "tfidf" else f"{v:.2f}" if h == "per_1000" else v
                  for h, v in zip(headers, row)] for row in rows]
        right = [i for i, h in enumerate(headers) if h in ("rank", "count", "per_1000", "transcripts", "documents",
                                                           "tfidf")]
        emit(fmt, headers, shown, output=output, title=title, right=right)
    else:
        emit(fmt, headers, rows, json_data=records, output=output)


# -- qcode search ---------------------------------------------------------------------------------------


@click.command()
@click.argument("query")
@click.option("--substring", is_flag=True,
              help="Also find the query inside longer words (by default a hit is one or more whole words).")
@filter_options(coders=False, codes=False)
@click.option("--context", type=click.IntRange(min=0), default=20, show_default=True,
              help="Characters of context on each side.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Stop after this many hits.")
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True)
@output_option(N_("Write to FILE instead of the terminal."))
@project_option
@click.pass_context
def search(ctx: click.Context, query: str, substring: bool, selection, context: int, limit: int | None, fmt: str, output: str | None, project: str | None) -> None:
    """Keyword in context: every occurrence of QUERY with the text around it.

    QUERY is cut into words like the transcripts are, so 压力 finds the word 压力 in running
    text, and a query of several words (公众号 运营, official account) finds them next to each
    other. Without --substring, 压力 is not found inside a longer word such as 压力锅; with
    it, the characters are found anywhere. Matching ignores case and full-width letters.
    Only speech is searched, not speaker labels. In JSON, `start` and `end` are offsets into the
    stored text (characters), and each hit's sentence is given for coding it.
    """
    from qcode.project.wordtools.search import search_counted  # lazy: --help speed
    from qcode.text.kwic import one_line  # lazy: --help speed

    store = open_project(ctx, project).store
    shown = limit
    if fmt == "table" and limit is None and output in (None, "-"):
        shown = TABLE_HITS  # a terminal shows the first hits; the rest are only counted
    progress = _progress()
    try:
        speakers = None if selection.all_speakers else selection.speakers
        result = search_counted(store, query, substring=substring, transcripts=selection.transcripts,
                                speakers=speakers, context=context, limit=shown, progress=progress,
                                where=selection.where)
    finally:
        progress.close()
    hits = result.hits
    if fmt == "json":
        emit("json", [], [], json_data=[h.to_json() for h in hits], output=output)
    elif fmt == "table":
        write_output(_hit_table(hits, context), output)
    else:
        rows = [(h.transcript, h.speaker or "", h.start, h.end, one_line(h.left), h.match, one_line(h.right))
                for h in hits]
        emit(fmt, ["transcript", "speaker", "start", "end", "left", "match", "right"], rows, output=output)
    cut_short = len(hits) < result.total
    more = _(" (--limit reached)") if limit is not None and cut_short else ""
    say(_("{hits} in {transcripts}{more}.").format(
        hits=counted(result.total, "{count} hit", "{count} hits"),
        transcripts=counted(result.transcripts, "{count} transcript", "{count} transcripts"), more=more), err=True)
    if cut_short and limit is None:
        say(_("The first {shown} are shown; --limit N shows more, --format csv all of them.").format(
            shown=len(hits)), err=True)


#: Hits a terminal table shows when no --limit is given (all of them are counted).
TABLE_HITS = 200


def _hit_table(hits: list, context: int) -> str:
    """The concordance table: every match in one column, the left context right-aligned up to it."""
    from rich.cells import cell_len  # lazy: --help speed

    from qcode.text.kwic import fit_left, fit_right, one_line  # lazy: --help speed

    lefts = [one_line(h.left) for h in hits]
    width = max((cell_len(left) for left in lefts), default=0)
    rows: list[tuple[Any, ...]] = [(h.transcript, h.speaker or "", h.start, fit_left(left, width), h.match,
                                    fit_right(one_line(h.right), 2 * context)) for h, left in zip(hits, lefts)]
    # Headers in the interface language; they are the table's msgids in qcode.reports.headers.
    headers = [_(h) for h in ("transcript", "speaker", "at", "left", "match", "right")]
    return to_table(headers, rows, right=(2,))


# -- qcode suggest --------------------------------------------------------------------------------------


@click.command()
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence", show_default=True,
              help="What a suggestion (and the evaluation) covers.")
@click.option("--strong-only", is_flag=True,
              help="Only whole-word matches; leave out weak ones (a keyword at the start or end of a longer word).")
@click.option("--evaluate", "coder", default=None, metavar="CODER",
              help="Write nothing; print each code's precision and recall of its keywords against CODER.")
@click.option("--by-keyword", is_flag=True, help="With --evaluate: one row per keyword as well.")
@click.option("--include-incomplete", is_flag=True,
              help="With --evaluate: also count transcripts CODER coded in but did not mark complete.")
@click.option("--clear", is_flag=True,
              help="Remove every auto:keywords coding instead (e.g. before a codebook change that drops codes).")
@filter_options(coders=False)
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True)
@output_option(N_("Write to FILE instead of the terminal."))
@project_option
@click.pass_context
def suggest(ctx: click.Context, unit: str, strong_only: bool, coder: str | None, by_keyword: bool,
            include_incomplete: bool, clear: bool, selection, fmt: str, output: str | None,
            project: str | None) -> None:
    """Keyword suggestions: code the units whose words match a code's keywords, as coder auto:keywords.

    A keyword that is a whole word (or phrase) of a unit is a strong match; one that begins or ends
    a longer word (权威 in 权威性) is weak. Each unit gets at most one suggestion per code. This
    replaces auto:keywords' earlier codings in one step (undoable as that coder) and marks every
    transcript complete for it, so `qcode agree --coders auto:keywords,NAME --unit sentence`
    compares the keywords with a person's coding.

    With --evaluate CODER nothing is written: over the transcripts CODER marked complete, precision
    is the share of suggested units CODER coded with the code (unit rule), recall the share of
    CODER's coded units that were suggested. The filters (--transcripts, --codes, --speakers, --where)
    narrow what an evaluation covers.
    """
    from qcode.project import wordtools  # lazy: --help speed

    if coder is None and (by_keyword or include_incomplete):
        raise InputError(_("--by-keyword and --include-incomplete go with --evaluate CODER"))
    filtered = (selection.transcripts is not None or selection.codes is not None or selection.speakers is not None
                or bool(selection.where))
    if coder is None and filtered:
        raise InputError(_("--transcripts, --codes, --speakers and --where go with --evaluate CODER (suggestions are "
                           "made for the whole project)"))
    store = open_project(ctx, project).store
    if clear:
        if coder is not None:
            raise InputError(_("--clear and --evaluate do not go together"))
        removed = wordtools.clear_suggestions(store)
        say(counted(removed, "Removed {count} coding of {coder}.", "Removed {count} codings of {coder}.",
                    coder=wordtools.AUTO_CODER))
        return
    names = {row.id: row.name for row in store.codes.rows()}
    progress = _progress()
    try:
        if coder is not None:
            result = wordtools.evaluate_suggestions(store, coder, unit=unit, strong_only=strong_only,
                                                    include_incomplete=include_incomplete, progress=progress,
                                                    selection=selection)
        else:
            report = wordtools.write_suggestions(store, unit=unit, strong_only=strong_only, progress=progress)
    finally:
        progress.close()
    if coder is not None:
        _emit_evaluation(fmt, output, result, names, by_keyword)
        return
    rows = [(code, names.get(code, ""), strong, weak, strong + weak)
            for code, (strong, weak) in sorted(report.by_code.items(), key=lambda item: list(names).index(item[0]))]
    emit(fmt, ["code", "name", "strong", "weak", "suggestions"], rows, output=output, right=(2, 3, 4),
         title=_("Keyword suggestions per {unit}").format(unit=unit))
    if report.unchanged:
        say(_("{suggestions} in {transcripts}, the same as those stored for {coder}; nothing changed.").format(
            suggestions=counted(report.codings, "{count} suggestion", "{count} suggestions"),
            transcripts=counted(report.transcripts, "{count} transcript", "{count} transcripts"),
            coder=wordtools.AUTO_CODER), err=True)
    else:
        say(_("Stored {suggestions} as codings of {coder} in {transcripts}, replacing {removed}. Compare with a "
              "coder: qcode agree --coders {coder},NAME --unit {unit}").format(
            suggestions=counted(report.codings, "{count} suggestion", "{count} suggestions"),
            coder=wordtools.AUTO_CODER,
            transcripts=counted(report.transcripts, "{count} transcript", "{count} transcripts"),
            removed=report.removed, unit=unit), err=True)


def _emit_evaluation(fmt: str, output: str | None, result, names: dict[str, str], by_keyword: bool) -> None:
    scores = list(result.by_code) + (list(result.by_keyword) if by_keyword else [])
    if fmt == "json":
        data = {"coder": result.coder, "unit": result.unit, "transcripts": result.transcripts,
                "codes": [s.to_json() for s in result.by_code],
                "keywords": [s.to_json() for s in result.by_keyword] if by_keyword else None}
        emit("json", [], [], json_data={k: v for k, v in data.items() if v is not None}, output=output)
        return
    rows = []
    for s in scores:
        code = s.code if s.code is not None else _("(all codes)")
        numbers = (s.precision, s.recall, s.f1) if fmt == "csv" else tuple(map(_ratio, (s.precision, s.recall, s.f1)))
        rows.append((code, names.get(s.code or "", ""), s.keyword or "", s.suggested, s.coded, s.agreed, *numbers))
    headers = ["code", "name", "keyword", "suggested", "coded", "agreed", "precision", "recall", "f1"]
    emit(fmt, headers, rows, output=output, right=(3, 4, 5, 6, 7, 8),
         title=counted(len(result.transcripts), "Keywords against {coder}, per {unit} ({count} transcript rated)",
                       "Keywords against {coder}, per {unit} ({count} transcripts rated)",
                       coder=result.coder, unit=result.unit))
    undefined = [s for s in result.by_code if s.note]
    if undefined:
        say(_("— undefined: {notes}").format(notes="; ".join(f"{s.code or _('all codes')}: {s.note}" for s in undefined)),
            err=True)
