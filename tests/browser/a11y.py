"""Accessibility checks for the browser tests (issue 8.2): axe-core at WCAG 2.2 AA, and reflow.

axe-core comes from the npm registry (package.json devDependencies, installed by `npm ci` in
scripts/_bootstrap.sh). The page's Content Security Policy allows scripts from this site only,
so Playwright's ``add_script_tag(path=...)`` (an inline <script>) would be refused; the browser
tests' ``page`` fixture adds it to every page with ``add_init_script`` instead, and a page
without it gets it through ``page.evaluate``: both go through the DevTools protocol, which the
page's policy does not govern. The pages themselves are tested with the policy on.
"""

from __future__ import annotations

import re
from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA: every success criterion at levels A and AA of WCAG 2.0, 2.1 and 2.2.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REFLOW_WIDTH = 320  # WCAG 1.4.10 Reflow: 320 CSS pixels wide, no scrolling in two directions

_RUN_AXE = """async tags => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.join(" "),
      html: n.html,
      failed: [...n.any, ...n.all, ...n.none].map(c => c.message),
    })),
  }));
}"""

# GOV.UK Frontend's conditional reveal puts aria-expanded on the radio or checkbox that shows
# more questions. ARIA 1.2 does not allow it on those roles, so axe reports it; the Design
# System keeps it on purpose because screen readers (JAWS, NVDA) announce it and user research
# found no harm (alphagov/govuk-frontend#979, listed in its known issues #1280). Only that exact
# finding is let through: the rule, a design-system input that controls a reveal, and
# aria-expanded as the only attribute refused.
_EXPANDED_REFUSED = r'ARIA attribute is not allowed: aria-expanded="(true|false)"'


def is_govuk_conditional_reveal(rule: str, node: dict) -> bool:
    html = node["html"]
    return (
        rule == "aria-allowed-attr"
        and re.match(r'<input class="govuk-(radios|checkboxes)__input"', html) is not None
        and "aria-controls=" in html
        and all(re.fullmatch(_EXPANDED_REFUSED, message) for message in node["failed"])
    )


def _load_axe(page) -> None:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    assert page.evaluate("typeof window.axe === 'object'"), "axe-core did not load"


_source: list[str] = []


def _axe_source() -> str:
    if not _source:
        _source.append(AXE_SOURCE.read_text(encoding="utf-8"))
    return _source[0]


def axe_violations(page) -> list[str]:
    """Each WCAG 2.2 AA violation axe finds on the page as it is now, one line per element:
    ``rule (impact) at selector on url: what to do``."""
    _load_axe(page)
    found = page.evaluate(_RUN_AXE, WCAG_22_AA)
    width = page.viewport_size["width"]
    return [
        f"{v['id']} ({v['impact']}) at {node['target']} on {page.url} ({width}px wide): "
        f"{v['help']}: {'; '.join(node['failed'])}"
        for v in found
        for node in v["nodes"]
        if not is_govuk_conditional_reveal(v["id"], node)
    ]


def check_a11y(page) -> None:
    """Fail with the list of violations when axe finds any on the page."""
    violations = axe_violations(page)
    assert not violations, "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(violations)


_WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const describe = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].map(c => "." + c).join("");
  // The innermost elements reaching past the right edge, positioned ones (they escape a
  // scroll container that is not their containing block), and boxes whose text spills out.
  const over = e => e.getBoundingClientRect().right > width + 1;
  const spills = e => e.scrollWidth > e.clientWidth + 1
    && getComputedStyle(e).overflowX === "visible" && e.getBoundingClientRect().width > 0;
  const culprits = [...document.body.querySelectorAll("*")].filter(e => (over(e) && (
    ["absolute", "fixed"].includes(getComputedStyle(e).position) || ![...e.children].some(over)
  )) || (spills(e) && ![...e.children].some(spills)));
  return {
    overflow: document.documentElement.scrollWidth - width,
    culprits: culprits.slice(0, 5).map(describe),
  };
}"""


def horizontal_overflow(page) -> tuple[int, list[str]]:
    """How many CSS pixels the page is wider than the viewport (0 when it reflows), and the
    first elements that stick out."""
    found = page.evaluate(_WIDEST)
    return found["overflow"], found["culprits"]
