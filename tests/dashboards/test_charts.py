"""Bar chart labels: long names are wrapped into lines beside the bars, never clipped."""

import re

from django.template.loader import render_to_string

from tracker.dashboards.charts import LABEL_CHARS, ROW_HEIGHT, bar_chart

LONG = "Discriminerende effecten en ander ongewenst onderscheid bij het gebruik van algoritmes"
GOVERNANCE = "Governance van algoritmes binnen je organisatie"


def test_long_labels_wrap_on_words_and_rows_grow():
    chart = bar_chart([(LONG, 40, "40%", ""), ("Data", 80, "80%", ""), (GOVERNANCE, 10, "", "")])
    long, short, governance = chart.bars
    assert " ".join(long.lines) == LONG
    assert len(long.lines) == 3
    assert all(len(line) <= LABEL_CHARS for line in long.lines + governance.lines)
    assert short.lines == ("Data",)
    assert short.height == ROW_HEIGHT
    assert long.height > ROW_HEIGHT
    # Rows follow each other; the chart is as tall as its rows.
    assert (short.y, governance.y) == (long.height, long.height + short.height)
    assert chart.height == long.height + short.height + governance.height
    # The label's lines centre on the bar, inside the row.
    assert 0 < long.label_y < long.bar_y + 16 < long.height


def test_the_svg_holds_every_word_of_the_label():
    chart = bar_chart([(LONG, 40, "40%", ""), (GOVERNANCE, 10, "10%", "")])
    html = render_to_string(
        "dashboards/_bar_chart.html",
        {"chart": chart, "chart_id": "t", "chart_title": "Per onderwerp", "value_title": "Gereed"},
    )
    svg = html[html.index("<svg") : html.index("</svg>")]
    body = svg[svg.index("</title>") :]
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body))
    assert LONG in shown
    assert GOVERNANCE in shown
    assert f'height="{chart.height}"' in svg
