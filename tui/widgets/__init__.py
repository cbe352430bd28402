"""Widgets the screens are made of: each owns its part of the screen and posts its own messages."""
