"""Copying text out of the app: through the terminal (OSC 52, which many terminals and tmux ignore unless told
otherwise, and which cannot say whether it worked) and through the system's clipboard tool, where there is one.
The user is told which was done, so "copied" is never said when nothing could have reached a clipboard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from textual.app import App

# The system's clipboard tools, tried in this order: each with the arguments that make it read standard input.
TOOLS: tuple[tuple[str, ...], ...] = (
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
    ("pbcopy",),
    ("clip.exe",),
    ("termux-clipboard-set",),
)
TIMEOUT = 2.0  # seconds a clipboard tool may take; xclip without a display would otherwise wait


def system_copy(text: str) -> str | None:
    """The name of the tool that took the text, or None when none is installed or none would take it."""
    graphical = bool(os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY")) or sys.platform != "linux"
    for command in TOOLS:
        if shutil.which(command[0]) is None:
            continue
        if command[0] in ("wl-copy", "xclip", "xsel") and not graphical:
            continue  # no display to own the selection: they fail, or wait
        try:
            done = subprocess.run(
                command, input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return command[0]
    return None


def copy(app: App, text: str, what: str) -> None:
    """Copy both ways, the system's tool in a thread (it may wait on a display), then say how: 'Paragraph with its
    citation copied to the system clipboard (xclip) and sent to the terminal (OSC 52)', or why it may not have
    arrived."""
    app.copy_to_clipboard(text)  # OSC 52: the terminal decides, and cannot tell us

    def run() -> None:
        said = f"{what} {how(system_copy(text), bool(os.environ.get('TMUX')))}"
        app.call_from_thread(app.notify, said, title="Copy", timeout=8)

    app.run_worker(run, thread=True, group="copy", exit_on_error=False)


def how(tool: str | None, in_tmux: bool) -> str:
    if tool:
        return f"copied to the system clipboard ({tool}) and sent to the terminal (OSC 52)"
    if in_tmux:
        return (
            "sent to the terminal (OSC 52) only, which tmux passes on only with `set -g set-clipboard on`; "
            "no system clipboard tool found (wl-copy, xclip, xsel, pbcopy): it may not have been copied"
        )
    return (
        "sent to the terminal (OSC 52) only, which some terminals ignore; no system clipboard tool found "
        "(wl-copy, xclip, xsel, pbcopy): it may not have been copied"
    )
