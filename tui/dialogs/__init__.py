"""Modal dialogs: each asks one thing and dismisses with the answer (or None when escaped)."""
