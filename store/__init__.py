"""Persistence: the parsed library cache and the user's annotations. No Textual here."""
