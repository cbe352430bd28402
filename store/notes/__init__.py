"""The notes subsystem: the user's notes, tags, codebook, memos and drafts, in TinyDB with a journal and a lock, and
how notes find their paragraphs again when a report's text changes (anchoring)."""
