"""A background task that fails is said, not fatal: indexing, an import, a fetch or a search that raises shows what
failed and what to do, and the app carries on (Textual would otherwise exit on a worker's error). Workers are run
with exit_on_error=False, and the node that runs them (the app, for the services' work; the search screen, for its
searches) passes Worker.StateChanged here."""

from __future__ import annotations

from textual.app import App
from textual.dom import DOMNode
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from .key_hints import key_of


def failure(node: DOMNode, group: str, error: BaseException | None) -> str:
    """What failed (by the worker's group), why, and what the user can do."""
    why = (str(error) or type(error).__name__) if error is not None else "no reason given"
    if group == "index":
        return f"Search is unavailable: the library could not be indexed ({why}). Reading and notes still work."
    if group == "import":
        return (
            f"The import stopped: {why}. Reports read before it are in the library; "
            f"{key_of(node, 'app.import')} imports the rest again."
        )
    if group == "fetch":
        return (
            f"The fetch from Ofsted stopped: {why}. Reports fetched before it are kept; "
            f"{key_of(node, 'app.fetch')} tries again."
        )
    if group == "search":
        return f"The search failed: {why}. Try other words, or close search and open it again."
    return f"A background task failed: {why}. The app carries on; try again."


def notify_if_failed(node: App | Widget, event: Worker.StateChanged) -> bool:
    """When `event` says one of `node`'s workers failed: said in one notification, and True."""
    if event.state != WorkerState.ERROR:
        return False
    node.notify(failure(node, event.worker.group, event.worker.error), severity="error", timeout=15)
    return True
