"""The vi-style keys every list, tree and table shares: j/k move, g/G go to the top/bottom."""

from __future__ import annotations

from textual.binding import Binding


def list_keys(top: str = "first", bottom: str = "last") -> list[Binding]:
    """j, k, g and G for a list whose top and bottom actions are called `top` and `bottom`
    (OptionList: first/last; Tree: scroll_home/scroll_end; DataTable: scroll_top/scroll_bottom).
    The ids are shared, so a keymap rebinding `list.down` rebinds it in every pane."""
    return [
        Binding("j", "cursor_down", "Down", show=False, id="list.down", tooltip="Move down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up", tooltip="Move up"),
        Binding("g", top, "Top", show=False, id="list.top", tooltip="Go to the top"),
        Binding("G", bottom, "Bottom", show=False, id="list.bottom", tooltip="Go to the bottom"),
    ]
