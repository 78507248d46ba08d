"""The options of a select repeated on every row: the selected one marked, labels
escaped, each variant the same object once rendered."""

from django.template import Context, Template

from tracker.pages.options import Options


def test_the_selected_value_is_marked_and_only_it():
    choices = Options([("", "Geen eigenaar"), (7, "Anna <Akkoord>"), (12, "Bram")])
    html = choices.html("7")
    assert html == (
        '<option value="">Geen eigenaar</option>'
        '<option value="7" selected>Anna &lt;Akkoord&gt;</option>'
        '<option value="12">Bram</option>'
    )
    assert choices.html(7) is html  # a value and its text are one variant, rendered once
    assert html.count("selected") == 1


def test_no_value_selects_the_empty_choice_and_an_unknown_value_none():
    choices = Options([("", "Geen eigenaar"), ("3", "Bram")])
    assert choices.html(None) == (
        '<option value="" selected>Geen eigenaar</option><option value="3">Bram</option>'
    )
    assert "selected" not in choices.html("99")


def test_the_template_filter_renders_them_unescaped():
    template = Template("{% load options %}<select>{{ choices|options:value }}</select>")
    html = template.render(Context({"choices": Options([("a", "A & B")]), "value": "a"}))
    assert html == '<select><option value="a" selected>A &amp; B</option></select>'
