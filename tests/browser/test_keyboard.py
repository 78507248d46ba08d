"""Issue 7: the checklist update done by keyboard alone, with the focus visible at every
stop on the way."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.scenario import Scenario, full_name, make_scenario
from tracker.checklist.models import ChecklistItem

MAX_TABS = 80

# What has focus, and whether it is visibly marked: :focus-visible applies (or the
# focus is inside a control's built-in part, such as a date field's calendar button)
# and the element draws an outline or a box shadow.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const inner = !el.matches(':focus') && el.matches(':focus-within');
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  return {
    id: el.id, tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim(),
    name: el.getAttribute('name') || '', focusVisible: el.matches(':focus-visible') || inner,
    outline: `${style.outlineStyle} ${style.outlineWidth}`, boxShadow: style.boxShadow,
    visible: outline || shadow,
  };
}"""


@pytest.fixture
def scenario(transactional_db) -> Scenario:
    return make_scenario()


class Keyboard:
    """Tab through a page, checking at every stop that the focus is visible."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.stops: list[dict] = []

    def tab_to(self, description: str, matches) -> dict:
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            focus = self.page.evaluate(FOCUS)
            assert focus is not None, f"focus fell to the body before reaching {description}"
            self.stops.append(focus)
            assert focus["focusVisible"], f"focus not marked :focus-visible: {focus}"
            assert focus["visible"], f"focus without an outline or box shadow: {focus}"
            if matches(focus):
                return focus
        raise AssertionError(f"{description} not reached in {MAX_TABS} tabs: {self.stops}")

    def press_until(self, key: str, selector: str, wanted: str) -> None:
        """Press ``key`` on the focused select until its selected option reads ``wanted``."""
        for _ in range(10):
            label = self.page.eval_on_selector(selector, "el => el.options[el.selectedIndex].label")
            if label == wanted:
                return
            self.page.keyboard.press(key)
        raise AssertionError(f"{selector}: '{wanted}' not reached with {key}")


def test_checklist_update_by_keyboard_alone(open_page, scenario):
    contributor, item = scenario.user("contributor"), scenario.item
    page = open_page(contributor)
    page.goto(f"/algoritmes/{scenario.algorithm.slug}/checklist/?status=open")
    row = page.locator(f"#rij-{item.pk}")
    expect(row).to_be_visible()
    keys = Keyboard(page)

    first = keys.tab_to("the skip link", lambda focus: True)
    assert first["text"] == "Direct naar de inhoud", "the skip link comes first"
    keys.tab_to("the status select", lambda focus: focus["id"] == f"status-{item.pk}")
    keys.press_until("ArrowDown", f"#status-{item.pk}", "Gereed")
    keys.tab_to("the owner select", lambda focus: focus["id"] == f"eigenaar-{item.pk}")
    keys.press_until("ArrowDown", f"#eigenaar-{item.pk}", full_name(contributor))
    save = keys.tab_to(
        "the row's save button",
        lambda focus: focus["tag"] == "button" and focus["text"] == "Opslaan",
    )
    page.evaluate("window.__marker = 1")
    page.keyboard.press("Enter")

    expect(row.get_by_role("status")).to_have_text("Opgeslagen")
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    # htmx swapped the row: the keyboard user keeps their place on its save button
    after = page.evaluate(FOCUS)
    assert after is not None, "focus fell to the body after saving"
    assert after["id"] == save["id"], f"focus moved elsewhere after saving: {after}"
    item.refresh_from_db()
    assert (item.status, item.owner) == (ChecklistItem.Status.DONE, contributor)
