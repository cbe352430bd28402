"""The domain: the report model, authorities, judgements and grades, citations, search ranking, export and every
path. The bottom layer: it imports no other part of ofsted_reader."""
