"""The library subsystem: the reports the app knows (the shipped record and the user's imports), their parse cache,
the search index kept up to them, and where each report came from. Nothing here imports the notes' internals except
to re-anchor notes when a report's parse changes (upgrades)."""
