"""The SVG bar chart's geometry: bars scaled to the widest, losses left of the zero line, stacks contiguous."""

from hoptac.analytics.charts import LABEL_WIDTH, MAX_BARS, PLOT_WIDTH, VALUE_WIDTH, Bar, Segment, bar_chart


def bar(label, *values):
    return Bar(label, str(sum(values)), [Segment(v, f"series-{i}", f"s{i}", str(v)) for i, v in enumerate(values)])


def test_bars_scale_to_the_largest_within_the_plot():
    chart = bar_chart([bar("A", 10), bar("B", 5)], legend=[], stacked=False)
    assert chart["width"] == str(LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH)
    a, b = (c["segments"][0] for c in chart["bars"])
    assert a["x"] == b["x"] == chart["zero_x"] == str(LABEL_WIDTH)
    assert float(a["width"]) == PLOT_WIDTH and float(b["width"]) == PLOT_WIDTH / 2
    assert chart["legend"] == []  # one series needs no legend


def test_a_loss_extends_left_of_the_zero_line():
    chart = bar_chart([bar("Gain", 300), bar("Loss", -100)], legend=[], stacked=False)
    zero = float(chart["zero_x"])
    assert zero == LABEL_WIDTH + PLOT_WIDTH / 4
    gain, loss = (c["segments"][0] for c in chart["bars"])
    assert float(gain["x"]) == zero and float(gain["width"]) == PLOT_WIDTH * 3 / 4
    assert float(loss["x"]) + float(loss["width"]) == zero


def test_stacked_segments_follow_each_other_and_empty_ones_are_not_drawn():
    chart = bar_chart(
        [bar("A", 2, 0, 3)], legend=[("series-0", "x"), ("series-1", "y"), ("series-2", "z")], stacked=True
    )
    first, second = chart["bars"][0]["segments"]
    assert (first["css"], second["css"]) == ("series-0", "series-2")
    assert float(first["x"]) + float(first["width"]) == float(second["x"])
    assert float(second["x"]) + float(second["width"]) == LABEL_WIDTH + PLOT_WIDTH
    assert [item["label"] for item in chart["legend"]] == ["x", "y", "z"]


def test_side_by_side_bars_share_a_row():
    chart = bar_chart([bar("A", 4, 6)], legend=[("series-prev", "2019"), ("series-0", "2020")], stacked=False)
    before, now = chart["bars"][0]["segments"]
    assert before["x"] == now["x"] and float(now["y"]) > float(before["y"])


def test_at_most_the_largest_bars_are_drawn():
    chart = bar_chart([bar(f"Xã {i}", 100 - i) for i in range(MAX_BARS + 7)], legend=[], stacked=False)
    assert len(chart["bars"]) == MAX_BARS and chart["hidden"] == 7


def test_long_labels_are_shortened_with_the_full_one_kept_for_the_tooltip():
    label = "Hợp tác xã Dịch vụ nông nghiệp tổng hợp Quang Tiến"
    drawn = bar_chart([bar(label, 1)], legend=[], stacked=False)["bars"][0]
    assert drawn["label"].endswith("…") and len(drawn["label"]) <= 32 and drawn["full_label"] == label
