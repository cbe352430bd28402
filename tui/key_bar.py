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

    def line(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        text = Text(no_wrap=True, overflow="ellipsis")
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
            text.append(f" {self.app.get_key_display(binding)} ", style=key)
            text.append(f"{binding.description} ", style=description)
        return text
