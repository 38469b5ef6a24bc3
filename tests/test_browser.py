"""The HTML report in a real browser (headless Chromium): rendered, styled, filterable, and making no requests.

Needs Debian's `chromium` and the `playwright` Python package (the `test` extra); `.ci/run` installs both.
Skipped, saying which, only when one of them is absent; once both are there, any failure fails.
Set ANALYSER_SCREENSHOT=path.png to keep the screenshot (the README's picture is made that way).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ANALYSER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and shutil.which(CHROMIUM) is None:
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ANALYSER_CHROMIUM)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _open(browser, path: Path, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("request", lambda r: r.url.startswith("file://") or problems.append(f"request to {r.url}"))
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"console {m.type}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    return page, problems


def _visible_findings(page) -> int:
    return page.locator("article.finding:visible").count()


def test_browser_report_renders_filters_and_screenshots(browser, corpus_run, tmp_path):
    analysis, out = corpus_run
    page, problems = _open(browser, out / "report.html")

    # the coverage matrix is there, with its headers, and the stylesheet (allowed by hash) shaded it
    matrix = page.locator("#coverage-matrix")
    assert matrix.is_visible()
    assert page.locator("#coverage-matrix thead th[scope=col]").count() == 2 + len(analysis.peers)
    assert page.locator("#coverage-matrix tbody th[scope=row]").count() >= 3
    shaded = page.eval_on_selector_all(
        "#coverage-matrix td[class^=heat-]", "cells => cells.map(c => getComputedStyle(c).backgroundColor)")
    assert len(set(shaded)) >= 2, shaded

    # a word-level diff is rendered, its marks styled
    diff = page.locator("article.finding .diff").first
    assert diff.is_visible()
    assert diff.locator("del").count() + diff.locator("ins").count() >= 1
    ins_style = page.eval_on_selector("article.finding .diff ins", "e => getComputedStyle(e).textDecorationLine")
    assert "underline" in ins_style

    # the script ran: filters shown; switching off a kind removes exactly those findings
    assert page.locator("#filters").is_visible()
    total = len(analysis.findings)
    assert _visible_findings(page) == total
    # switching off a kind removes exactly those findings
    kind = max({f.kind for f in analysis.findings}, key=lambda k: sum(f.kind == k for f in analysis.findings))
    page.locator(f"#filters input[name=kind][value={kind}]").uncheck()
    expected = total - sum(f.kind == kind for f in analysis.findings)
    assert _visible_findings(page) == expected
    assert page.locator("#filter-count").inner_text() == f"Showing {expected} of {total} findings"
    assert page.locator(f"article.finding[data-kind={kind}]:visible").count() == 0
    page.locator("#filter-reset").click()
    assert _visible_findings(page) == total

    # switching off the least severe level leaves the rest; the picture shows that view from the filters down
    levels = {f.severity for f in analysis.findings}
    least = {1: "high", 2: "medium", 3: "low"}[max(levels)]
    page.locator(f"#filters input[name=severity][value={least}]").uncheck()
    expected = sum(f.severity != max(levels) for f in analysis.findings)
    assert _visible_findings(page) == expected
    page.eval_on_selector("#filters", "f => window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 16)")
    shot = Path(os.environ.get("ANALYSER_SCREENSHOT") or tmp_path / "report.png")
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    page.locator("#filter-reset").click()

    # a peer filter: only findings resting on that peer (or on no peer) remain
    peer = analysis.peers[0]
    for other in analysis.peers[1:]:
        page.locator(f"#filters input[name=peer][value='{other}']").uncheck()
    for article in page.locator("article.finding:visible").all():
        peers = (article.get_attribute("data-peers") or "").split()
        assert not peers or peer in peers
    page.locator("#filter-reset").click()
    assert _visible_findings(page) == total

    # the family browser opens to show each council's wording side by side
    family = page.locator("details.family").first
    family.locator("summary").click()
    assert family.locator("th[scope=row]").count() == len(analysis.documents)
    assert problems == []


def test_browser_report_is_complete_without_javascript(browser, corpus_run):
    analysis, out = corpus_run
    page, problems = _open(browser, out / "report.html", java_script_enabled=False)
    assert _visible_findings(page) == len(analysis.findings)
    assert not page.locator("#filters").is_visible()
    assert page.locator("#coverage-matrix").is_visible()
    assert problems == []


def test_browser_hostile_clause_stays_text(browser, tmp_path):
    from analyser import Settings
    from analyser.render import write_reports

    from .reports_helpers import small_analysis

    write_reports(small_analysis(), tmp_path, settings=Settings(today="2025-01-31"))
    page, problems = _open(browser, tmp_path / "report.html")
    assert "<script>alert(1)</script>" in page.locator("#D001 .message").inner_text()
    assert page.evaluate("document.scripts.length") == 1
    assert problems == []


CONTRAST_JS = """
(selectors) => {
  function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function background(el) {
    for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.a > 0) return c; }
    return {r: 255, g: 255, b: 255, a: 1};
  }
  const out = [];
  for (const sel of selectors) {
    for (const el of Array.from(document.querySelectorAll(sel)).slice(0, 20)) {
      const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
      out.push([sel, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
    }
  }
  return out;
}
"""


def test_browser_text_has_sufficient_contrast(browser, corpus_run):
    _, out = corpus_run
    page, _ = _open(browser, out / "report.html")
    selectors = ["body", ".where", ".lede", ".badge", "del", "ins", "del.key", "ins.key", "caption",
                 *(f"td.heat-{n}" for n in range(5)), ".legend li", "a", "thead th", ".sev-high", ".sev-medium"]
    ratios = page.evaluate(CONTRAST_JS, selectors)
    assert {s for s, _ in ratios} >= {"del", "ins", "td.heat-0", "td.heat-4", ".badge"}
    low = [(s, round(r, 2)) for s, r in ratios if r < 4.5]
    assert not low, f"text below WCAG AA contrast: {low}"
