"""The analysis layer: ONE place that chooses the data of every analysis.

- `selection`: the `Selection` (transcripts, coders, codes, speakers, attribute conditions) and name checks.
- `cases`: transcripts, persons behind speaker labels, attributes; which transcripts and turns a selection keeps.
- `units`: the codings as arrays and the unit tables (turns, sentences) with the unit rule applied; one voice
  per passage by default.
- `ratings`: the same tables as reliability data for agreement.
- `groups`: the groups of `--by` (transcript, coder, speaker, person, attr:NAME).

It stands on `storage`, `codebook` and `agreement` (pure arithmetic); `project`, `reports` and the TUI use it.
"""
