"""LineupTree: the vehicle lineup, grouped by maker, platform or segment."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.labels import vehicle_label
from tui.messages import OpenEntity
from tui.widgets.list_keys import list_keys

if TYPE_CHECKING:
    from facts.base import FactBase
    from facts.model import Fact

GROUPINGS = ("maker", "platform", "segment")
NOT_STATED = "platform not stated"


class LineupTree(Tree[str]):
    """Enter opens the entry of a car, platform or maker; space folds; b changes the grouping."""

    BINDINGS = [
        *list_keys("scroll_home", "scroll_end"),
        Binding("b", "cycle_grouping", "Group by", id="lineup.group",
                tooltip="Group the lineup by maker, platform or segment"),
    ]

    grouping: reactive[str] = reactive("maker", init=False)
    company: reactive[str | None] = reactive(None, init=False)  # bound to the app's narrowing

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Lineup", id=id)
        self.show_root = False
        self.auto_expand = False
        self.base: FactBase | None = None

    def render_label(self, node: TreeNode, base_style, style) -> Text:
        """The label, cut with '…' where it would run past the pane's right edge."""
        label = super().render_label(node, base_style, style)
        room = self.scrollable_content_region.width - self._guide_width(node)
        if room > 1 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    def _guide_width(self, node: TreeNode) -> int:
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        return max(0, depth if self.show_root else depth - 1) * self.guide_depth

    def load(self, base: FactBase) -> None:
        self.base = base
        self.rebuild()

    def watch_company(self) -> None:
        self.rebuild()

    def watch_grouping(self) -> None:
        self.rebuild()

    def action_cycle_grouping(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        self.app.notify(f"Lineup grouped by {self.grouping}.", timeout=2)

    # -- building ---------------------------------------------------------------------------

    def _involves(self, fact: Fact) -> bool:
        if self.company is None:
            return True
        return self.company in self.base.companies_of(fact) or any(
            ref == self.company for _, ref in fact.refs())

    def _vehicles(self) -> list[Fact]:
        cars = [v for v in self.base.of_kind("vehicle") if self._involves(v)]
        return sorted(cars, key=lambda v: (str(v.get("launch") or "9999"), v.name.lower()))

    def _platforms(self) -> list[Fact]:
        return [p for p in self.base.of_kind("platform") if self._involves(p)
                or any(v.get("platform") == p.id for v in self._vehicles())]

    def rebuild(self) -> None:
        if self.base is None:
            return
        self.clear()
        self.root.label = Text(f"Lineup by {self.grouping}")
        getattr(self, f"_by_{self.grouping}")()
        if not self.root.children:
            who = self.base.name_of(self.company) if self.company else "the corpus"
            self.root.add_leaf(Text(f"No vehicles or platforms for {who}.", style="italic"))
        self.root.expand_all()
        self.move_cursor_to_line(0)

    def _heading(self, parent: TreeNode, text: str, data: str | None = None, count: int | None = None) -> TreeNode:
        label = Text(text, style="bold")
        if count is not None:
            label.append(f" ({count})", style="dim")
        return parent.add(label, data=data, expand=True)

    def _car(self, parent: TreeNode, car: Fact, extra: str = "") -> None:
        label = vehicle_label(self.base, car)
        if extra:
            label.append(f"  {extra}", style="dim")
        parent.add_leaf(label, data=f"vehicle:{car.id}")

    def _platform_node(self, parent: TreeNode, platform: Fact, cars: list[Fact], show_maker: bool) -> None:
        node = self._heading(parent, platform.name, f"platform:{platform.id}", len(cars))
        if platform.get("launch"):
            node.label.append(f"  launch {platform.get('launch').year}", style="dim")
        if not cars:
            node.add_leaf(Text("no named model yet", style="italic"), data=f"platform:{platform.id}")
        for car in cars:
            self._car(node, car, f"by {self.base.name_of(car.get('maker'))}" if show_maker else "")

    def _by_maker(self) -> None:
        cars = self._vehicles()
        platforms = {p.id: p for p in self._platforms()}
        makers: dict[str, list[Fact]] = defaultdict(list)
        for car in cars:
            makers[car.get("maker")].append(car)
        for platform in platforms.values():  # platforms with no car show under their owner
            if not any(c.get("platform") == platform.id for c in cars):
                makers.setdefault(platform.get("owner"), [])
        for maker_id in sorted(makers, key=lambda m: self.base.name_of(m).lower()):
            mine = makers[maker_id]
            node = self._heading(self.root, self.base.name_of(maker_id), f"entity:{maker_id}", len(mine))
            by_platform: dict[str | None, list[Fact]] = defaultdict(list)
            for car in mine:
                by_platform[car.get("platform")].append(car)
            owned = [p for p in platforms.values() if p.get("owner") == maker_id and p.id not in by_platform]
            for platform_id in sorted((p for p in by_platform if p), key=lambda p: self.base.name_of(p)):
                self._platform_node(node, self.base.get(platform_id), by_platform[platform_id], False)
            for platform in owned:
                if not any(c.get("platform") == platform.id for c in cars):
                    self._platform_node(node, platform, [], False)
            if by_platform.get(None):
                loose = self._heading(node, NOT_STATED, None, len(by_platform[None]))
                for car in by_platform[None]:
                    self._car(loose, car)

    def _by_platform(self) -> None:
        cars = self._vehicles()
        for platform in sorted(self._platforms(), key=lambda p: p.name.lower()):
            self._platform_node(self.root, platform, [c for c in cars if c.get("platform") == platform.id], True)
        loose = [c for c in cars if not c.get("platform")]
        if loose:
            node = self._heading(self.root, NOT_STATED, None, len(loose))
            for car in loose:
                self._car(node, car, f"by {self.base.name_of(car.get('maker'))}")

    def _by_segment(self) -> None:
        groups: dict[str, list[Fact]] = defaultdict(list)
        for car in self._vehicles():
            groups[car.get("segment") or "segment not stated"].append(car)
        for segment in sorted(groups, key=lambda s: (len(s) > 3, s)):
            title = f"{segment}-segment" if len(segment) <= 3 else segment
            node = self._heading(self.root, title, None, len(groups[segment]))
            for car in groups[segment]:
                self._car(node, car, f"by {self.base.name_of(car.get('maker'))}")

    # -- selection -----------------------------------------------------------------------------

    def selected_fact_id(self) -> str | None:
        node = self.cursor_node
        if node is None or not node.data:
            return None
        return node.data.partition(":")[2]

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        data = event.node.data
        if data:
            self.post_message(OpenEntity(data.partition(":")[2]))
        else:
            event.node.toggle()
