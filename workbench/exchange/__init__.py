"""Exchange with other programs: REFI-QDA projects (.qdpx) and codebooks (.qdc), and CSV.

    refi.py         namespaces, stable GUIDs, XML text that is always well-formed, safe parsing
    safezip.py      reading a .qdpx without trusting its member names or sizes
    positions.py    source text to the stored (normalised) text, with positions mapped
    qde_writer.py   project.qde from a project; `export_qdpx`
    codebook_xml.py the codebook as REFI-QDA Code elements; `.qdc` export and reading
    tables.py       CSV of codings and of the codebook (R, pandas, spreadsheets)
    coder_files.py  the coder files an export reads
    readings.py     how a program counted positions (BOM, UTF-16 units, UTF-8 bytes, CRLF as one)
    placement.py    each source's reading, chosen by its selections' own text; each selection
                    placed exactly, unchecked, moved or left out
    import_report.py the report of an import, printed and kept in the project's imports/
    qde_reader.py   project.qde into an import plan, checked, nothing written
    importer.py     `import_exchange_file`: a .qdpx or .qdc into a project

REFI-QDA: the Rotterdam Exchange Format Initiative's specification 1.5 (2019) and its
schemas Project.xsd / Codebook.xsd (QDA-XML 1.0); see docs/exchange.md.
"""
