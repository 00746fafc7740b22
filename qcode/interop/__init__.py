"""Exchange with other coders and other programs.

- `merge`: bring other qcode project files (other coders' copies) into this project; `codebook_merge`
  merges their codebook into ours; `live_codebook` reads a project's codebook whichever way it came in.
- `qdpx_export`, `qdpx_read`, `qdpx_import`: REFI-QDA 1.5 projects (.qdpx) for and from NVivo, ATLAS.ti,
  MAXQDA, QualCoder and qc; `refi_codebook`: the codebook part of them, and `.qdc` codebook files.
- `positions`: the ways tools count text positions, converted to our code points at this boundary.
- `safe_zip`, `safe_xml`: reading untrusted archives and XML without zip-slip, bombs or entity tricks.
- `backup`: a consistent copy of the project database.
- `codings_csv`: codings as CSV rows.

Nothing here imports textual; only `qcode.storage` touches SQL.
"""
