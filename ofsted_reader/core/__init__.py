"""The domain: the report model, authorities, judgements and grades, citations, search, export. The bottom layer: it
imports no other part of ofsted_reader, knows no path of the data dir (ofsted_reader.host) and writes no file. The one
file it reads is one it is handed (a codebook to import), through bounded.py, which also guards the importers' and
the store's reads of outside files."""
