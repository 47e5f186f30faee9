"""The reports page's charts, drawn on the server as small SVG files with matplotlib (no script in the page)."""
from importlib import import_module
from io import StringIO

OVERALL_LABELS = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "unsatisfied": "Không hài lòng"}
BLUE, GREEN, RED, GREY = "#0b4f8a", "#2e7d32", "#c62828", "#9e9e9e"
STYLE = {"svg.fonttype": "none",  # text stays text: a lighter file, drawn with the browser's own fonts
         "font.family": "sans-serif", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def received_and_resolved(months) -> str:
    """Bars of dossiers received and resolved in each month."""
    figure, axes = _figure()
    positions = range(len(months))
    axes.bar([p - 0.2 for p in positions], [m.received for m in months], 0.4, label="Tiếp nhận", color=BLUE)
    axes.bar([p + 0.2 for p in positions], [m.resolved for m in months], 0.4, label="Đã giải quyết", color=GREEN)
    axes.set_xticks(list(positions), [m.label for m in months])
    axes.set_ylim(0, max(1, *(max(m.received, m.resolved) for m in months)) * 1.25)  # room for the legend
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title("Hồ sơ tiếp nhận và đã giải quyết theo tháng")
    axes.legend(frameon=False)
    return _svg(figure)


def on_time_share(months) -> str:
    """The share of resolved dossiers done early or on time, month by month (months with none are left out)."""
    figure, axes = _figure()
    shown = [(m.label, 100 * m.on_time / m.resolved) for m in months if m.resolved]
    axes.plot([label for label, _ in shown], [share for _, share in shown], marker="o", color=GREEN)
    for label, share in shown:
        axes.annotate(f"{share:.0f}%", (label, share), textcoords="offset points", xytext=(0, 6), ha="center")
    axes.set_ylim(0, 110)
    axes.set_ylabel("%")
    axes.set_title("Tỷ lệ giải quyết trước và đúng hạn")
    if not shown:
        axes.text(0.5, 0.5, "Chưa có hồ sơ giải quyết", transform=axes.transAxes, ha="center", color=GREY)
    return _svg(figure)


def satisfaction(counts: dict[str, int]) -> str:
    """Horizontal bars of the overall satisfaction answers."""
    figure, axes = _figure()
    labels = [OVERALL_LABELS[key] for key in OVERALL_LABELS]
    values = [counts.get(key, 0) for key in OVERALL_LABELS]
    bars = axes.barh(labels, values, color=[GREEN, BLUE, RED])
    axes.bar_label(bars, padding=3)
    axes.invert_yaxis()
    axes.set_xlim(0, max(1, *values) * 1.15)  # no surveys yet: still a 0-based axis, not ±0.04
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"Mức độ hài lòng ({sum(values)} phiếu)")
    return _svg(figure)


def _matplotlib():
    # Imported on the first chart: matplotlib and numpy add about 45 MB to every worker at start,
    # and only the reports page draws charts.
    return import_module("matplotlib")


def _figure():
    matplotlib = _matplotlib()
    with matplotlib.rc_context(STYLE):
        figure = import_module("matplotlib.figure").Figure(figsize=(5.2, 2.8), layout="constrained")
        return figure, figure.add_subplot()


def _svg(figure) -> str:
    matplotlib = _matplotlib()
    buffer = StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
