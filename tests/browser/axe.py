"""axe-core in the browser: the WCAG 2.1 A/AA rules, serious and critical violations.

axe-core comes from the npm registry (package.json devDependencies; ``npm ci``).
It is injected as a context init script (see ``PageOpener``): that runs outside the
page's Content Security Policy, so the page is checked under its real CSP, exactly as
users get it, instead of in a context that bypasses the policy.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.environment import ROOT, skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

_RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
  }));
}"""


def axe_script() -> Path:
    """The path of axe.min.js, or skip (fail in CI) when ``npm ci`` has not run."""
    if not AXE_SCRIPT.is_file():
        skip_or_fail(f"axe-core not found at {AXE_SCRIPT}: run bin/setup (npm ci)")
    return AXE_SCRIPT


def serious_violations(page: "Page") -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    page.wait_for_function("() => window.axe !== undefined")
    violations = page.evaluate(_RUN, WCAG_TAGS)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(url: str, violations: list[dict]) -> str:
    """Rule id, impact, help and the offending nodes, one violation per block."""
    lines = [f"{len(violations)} serious/critical axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: "Page") -> None:
    violations = serious_violations(page)
    assert not violations, describe(page.url, violations)
