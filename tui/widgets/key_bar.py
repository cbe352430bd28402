"""The keys line at the foot of a screen: the bindings the focused widget and its ancestors show, as one line of text.

It replaces Textual's Footer, which makes a widget per key and rebuilds them all whenever focus moves: at start-up
that was 50-60 widgets styled one by one, a third of the time to first paint. This is one Static re-rendered.
Keys remapped in keymap.json are shown as remapped (Textual's active bindings carry the remapped key).
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--disabled {
        text-style: dim;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.update(self.line())

    def on_resize(self) -> None:
        self.update(self.line())

    def line(self) -> Text:
        """The keys that fit the width, in the order their screen lists them (its priority); help is always kept,
        and says where the rest are."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        seen: set[str] = set()
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        shown = [
            (key, active)
            for key, active in self.screen.active_bindings.items()
            if active.binding.show and key != palette
        ]
        if getattr(self.screen, "APP_KEYS_FIRST", False):
            # On the main screen the app's own keys (quit, help) come first; on the others their own keys do.
            shown.sort(key=lambda pair: pair[1].node is not self.app)
        if palette in self.screen.active_bindings:
            shown.append((palette, self.screen.active_bindings[palette]))
        pieces: list[tuple[Text, bool, str]] = []  # each key with its description, whether it must stay, its action
        for _, active in shown:
            binding = active.binding
            if binding.action in seen:  # one entry per action, as the Footer does
                continue
            seen.add(binding.action)
            key, description = (
                (key_style, description_style)
                if active.enabled
                else (key_style + disabled, description_style + disabled)
            )
            piece = Text.assemble(
                (f" {self.app.get_key_display(binding)} ", key), (f"{binding.description} ", description)
            )
            pieces.append((piece, binding.action in PINNED, binding.action))
        # A screen may rank its keys (KEY_PRIORITY, by action): those it names first, in its order, then the rest.
        ranked = list(getattr(self.screen, "KEY_PRIORITY", ()))
        if ranked:
            order = {action: i for i, action in enumerate(ranked)}
            pieces.sort(key=lambda pair: order.get(pair[2], len(order)))
        width = self.size.width
        if width > 0:
            while sum(p.cell_len for p, _, _ in pieces) > width and any(not pinned for _, pinned, _ in pieces):
                # The last key the screen lists goes first: F1 lists every key, so nothing is out of reach.
                drop = max(i for i, (_, pinned, _) in enumerate(pieces) if not pinned)
                del pieces[drop]
        text = Text(no_wrap=True, overflow="ellipsis")
        for piece, _, _ in pieces:
            text.append_text(piece)
        return text


# Kept whatever the width: help lists every key the bar has no room for; quit, so no one is stuck.
PINNED = {"help", "app.help", "quit", "app.quit"}
