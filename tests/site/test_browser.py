"""The built book in a real browser (Debian's chromium through playwright).

Run by ``nox -s site`` (``GRADAVG_SITE``); skipped without a built book or a chromium
(``CHROMIUM``, default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

if "GRADAVG_SITE" not in os.environ:
    pytest.skip("set GRADAVG_SITE to a built book (nox -s site)", allow_module_level=True)
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
axe_playwright_python = pytest.importorskip("axe_playwright_python")
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

SITE = Path(os.environ["GRADAVG_SITE"])
PAGES = sorted(path.name for path in SITE.glob("*.html"))


@pytest.mark.parametrize("name", PAGES)
def test_a_page_loads_cleanly_and_offline(browser: object, server: str, name: str) -> None:
    """No console error, and no request leaves the machine."""
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    remote: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            remote.append(request.url)
            if urlsplit(request.url).hostname not in {"127.0.0.1", None}
            else None
        ),
    )
    page.goto(f"{server}/{name}", wait_until="load")
    page.close()
    assert not errors, f"{name}: console errors {errors}"
    assert not remote, f"{name}: requests leaving the machine {remote}"


def test_quote_copies_a_result_ready_to_paste(browser: object, server: str) -> None:
    """Click Quote on the sum rule: the clipboard holds $$…$$, the statement, the link."""
    context = browser.new_context()  # type: ignore[attr-defined]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.goto(f"{server}/sum-rule.html#thm-sum-rule")
    button = page.locator("#thm-sum-rule button.quote-result")
    button.focus()
    page.keyboard.press("Enter")  # keyboard-accessible
    page.wait_for_function(
        "document.querySelector('#thm-sum-rule button.quote-result').textContent === 'Copied'"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied.startswith(
        "**Theorem (Gradient of the mean loss).** The following holds for every"
    )
    assert "\n$$\n\\frac{d}{d \\theta} J{\\left(\\theta \\right)} = \\frac{1}{N}" in copied
    assert copied.count("$$") == 2
    assert "/sum-rule.html#thm-sum-rule)" in copied
    assert "](https://" in copied  # an absolute link


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Rules axe-core 4.12 marks experimental, and so leaves out of a run by tags: WCAG 2.5.3,
# a control's name contains its visible label (the code-cell toggles once broke it).
AXE_EXPERIMENTAL = {"label-content-name-mismatch": {"enabled": True}}


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(browser: object, server: str, name: str, width: int) -> None:
    """axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules and its best practices, on a
    phone and a desktop, light and dark (the page is loaded once per width, and switched
    from light to dark as a reader's system setting switches it).

    The page is laid out whole first, as a reader who scrolls sees each section: a section
    below the first screen is laid out only as it comes into view (book.css), and until
    then the geometry of what it holds is a placeholder, which axe's size and scrolling
    rules would judge."""
    context = browser.new_context(color_scheme="light", viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/{name}", wait_until="load")
    page.evaluate("document.documentElement.classList.add('whole-page')")
    page.evaluate(AXE)
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(200)  # the sections laid out whole are measured, restyled
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        violations = page.evaluate(
            "([tags, rules]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, rules})"
            ".then(result => result.violations)",
            [AXE_TAGS, AXE_EXPERIMENTAL],
        )
        found[scheme] = [
            (v["id"], v["impact"], [n["html"][:80] for n in v["nodes"][:2]]) for v in violations
        ]
    context.close()
    assert not any(found.values()), f"{name} ({width} px): {found}"


# The visible part of each drawn box of a formula (KaTeX's .base), clipped by the boxes
# that scroll it, against the rectangle of the equation number beside it.
EQUATION_NUMBERS_OVER_GLYPHS = """() => {
  const visible = (element, top) => {
    let r = element.getBoundingClientRect();
    let box = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    for (let up = element.parentElement; up && up !== top; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === "visible") continue;
      const c = up.getBoundingClientRect();
      box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right),
              top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom) };
    }
    return box;
  };
  const over = [];
  for (const eqno of document.querySelectorAll("div.math span.eqno")) {
    const math = eqno.closest("div.math");
    const n = eqno.getBoundingClientRect();
    for (const glyph of math.querySelectorAll(".katex-html .base")) {
      const g = visible(glyph, math);
      if (g.right - g.left < 1 || g.bottom - g.top < 1) continue;
      if (n.left < g.right - 1 && g.left < n.right - 1 && n.top < g.bottom - 1 && g.top < n.bottom - 1) {
        over.push(eqno.textContent.replace("\u00b6", "").trim());
        break;
      }
    }
  }
  return over;
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_equation_numbers_clear_their_equations(
    browser: object, server: str, name: str, width: int
) -> None:
    """No equation number is drawn over a glyph of its formula, on a phone or a desktop."""
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server}/{name}", wait_until="load")
    page.evaluate("document.documentElement.classList.add('whole-page')")  # lay out all
    over = page.evaluate(EQUATION_NUMBERS_OVER_GLYPHS)
    page.close()
    assert not over, f"{name} at {width} px: equation numbers over their formula: {over}"


@pytest.mark.parametrize("name", PAGES)
def test_derivations_fit_a_phone(browser: object, server: str, name: str) -> None:
    """At 390 px no derivation, nor the line of definitions under it, scrolls sideways:
    every rule and proof method is in view (a formula wider than the screen, such as a
    written-out matrix, scrolls in its own cell or definition box, which takes the
    keyboard focus)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(f"{server}/{name}", wait_until="load")
    wide = page.evaluate(
        "[...document.querySelectorAll('.derivation, .derivation-where')]"
        ".filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.textContent.slice(0, 60))"
    )
    page.close()
    assert not wide, f"{name}: derivations wider than a phone: {wide}"


STEPS_SPILLING = """[...document.querySelectorAll('.derivation > span')]
  .filter(cell => !cell.hasAttribute('tabindex'))
  .flatMap(cell => [...cell.querySelectorAll('.katex-html')].flatMap(math =>
    [...math.getClientRects()].filter(line => line.right > cell.getBoundingClientRect().right + 1)
      .map(line => `${cell.className}: ${cell.textContent.slice(0, 40)} by ${
        Math.round(line.right - cell.getBoundingClientRect().right)} px`)))"""


@pytest.mark.parametrize("name", PAGES)
def test_derivation_steps_stay_in_their_column_on_a_desktop(
    browser: object, server: str, name: str
) -> None:
    """At 1280 px no step of a derivation runs past its own cell into the rule beside it
    (a written-out matrix scrolls in its cell instead)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server}/{name}", wait_until="load")
    page.evaluate("document.documentElement.classList.add('whole-page')")
    page.wait_for_timeout(200)  # the ResizeObserver measures the newly laid-out sections
    spilling = page.evaluate(STEPS_SPILLING)
    page.close()
    assert not spilling, f"{name}: derivation steps spilling out of their cell: {spilling}"


SCROLL_SIGNS = """() => [...document.querySelectorAll(
    '.katex-display, .table-wrapper, .derivation [tabindex], .derivation-where [tabindex]')]
  .filter(region => region.scrollWidth - region.clientWidth > 4)
  .map(region => {
    const before = region.className;
    region.scrollLeft = region.scrollWidth;
    region.dispatchEvent(new Event('scroll'));
    const after = region.className;
    region.scrollLeft = 0;
    return {text: region.textContent.slice(0, 40), before, after};
  })
  .filter(({before, after}) => !/\\bmore-right\\b/.test(before) || /\\bmore-left\\b/.test(before)
    || !/\\bmore-left\\b/.test(after) || /\\bmore-right\\b/.test(after))"""


@pytest.mark.parametrize(
    ("name", "width"),
    [(name, 390) for name in PAGES] + [("network.html", 1280), ("sum-rule.html", 1280)],
)
def test_what_scrolls_sideways_shows_that_it_does(
    browser: object, server: str, name: str, width: int
) -> None:
    """A formula, matrix or table wider than its box fades out on the side with more to
    see: on the right before it is scrolled, on the left once scrolled to its end."""
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server}/{name}", wait_until="load")
    page.evaluate("document.documentElement.classList.add('whole-page')")
    page.wait_for_timeout(200)  # the ResizeObserver measures the newly laid-out sections
    unmarked = page.evaluate(SCROLL_SIGNS)
    page.close()
    assert not unmarked, f"{name} at {width} px: scrolling regions without their sign: {unmarked}"


# What a page shows as it is printed: a control that would print (navigation, a button,
# a code cell's toggle; a solution's title is a heading on paper), anything that would be
# cut at the edge of its box or reach past the printed column (a formula drawn smaller
# to fit, under its zoom, is measured by its box), and figure captions set in capitals
# (as in the single page, where every chapter sits inside a toctree, whose captions Furo
# sets in capitals).
PRINTED = """() => {
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
  };
  const controls = [...document.querySelectorAll(
      "button, input, select, textarea, summary, [role=button], nav, header, .headerlink")]
    .filter((element) => shown(element) && !element.matches("details.solution > summary"))
    .map((element) => element.outerHTML.slice(0, 80));
  const column = document.querySelector("article").getBoundingClientRect().right;
  const wide = ".katex-display, .table-wrapper, table, pre, img, .derivation, .derivation-where";
  const cut = [...document.querySelectorAll("article *")]
    .filter((element) => !element.closest(".katex-mathml, [style*=zoom]") && shown(element))
    .filter((element) => {
      const box = element.getBoundingClientRect();
      const reach = Math.max(box.right, box.left + element.scrollWidth);
      const clips = getComputedStyle(element).overflowX !== "visible";
      return (clips && element.scrollWidth > element.clientWidth + 1)
        || (element.matches(wide) && reach > column + 4);
    })
    .map((element) => element.textContent.slice(0, 60));
  const capitals = [...document.querySelectorAll("figcaption .caption-text")]
    .filter((caption) => getComputedStyle(caption).textTransform !== "none")
    .map((caption) => caption.textContent.slice(0, 40));
  return { controls, cut, capitals };
}"""
# Measured in the browser's own print layout: a listener added after the page's scripts
# runs once the page is laid out on the paper, after wide-formulas.js has fitted it.
AS_PRINTED = """(measure) => {
  const printed = eval(measure);
  matchMedia("print").addEventListener("change", (query) => {
    if (query.matches) window.printed = printed();
  });
}"""


def _printed(browser: object, url: str) -> dict[str, list[str]]:
    """What ``url`` shows printed on A4 (as from the browser's print dialog)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(url, wait_until="load")
    page.evaluate(AS_PRINTED, PRINTED)
    page.pdf(format="A4")
    printed: dict[str, list[str]] = page.evaluate("window.printed")
    page.close()
    return printed


@pytest.mark.parametrize("name", PAGES)
def test_a_printed_page_shows_no_control_and_cuts_nothing(
    browser: object, server: str, name: str
) -> None:
    """A page printed on A4 (book.css's print rules) has no navigation, button or toggle,
    nothing scrolls (a formula or table wider than the paper is drawn to its width), and
    figure captions keep their type."""
    printed = _printed(browser, f"{server}/{name}")
    assert printed == {"controls": [], "cut": [], "capitals": []}, f"{name} printed: {printed}"


def test_the_single_page_of_the_pdf_prints_clean(browser: object, single_page: str) -> None:
    """The same of the single page the PDF is printed from (the singlehtml build)."""
    printed = _printed(browser, f"{single_page}/index.html")
    assert printed == {"controls": [], "cut": [], "capitals": []}, f"the PDF's page: {printed}"


@pytest.mark.parametrize("name", PAGES)
def test_preloaded_fonts_are_used(browser: object, server: str, name: str) -> None:
    """Every math font a page asks for early is one its formulas are drawn in."""
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(f"{server}/{name}", wait_until="load")
    preloaded = page.evaluate(
        "[...document.querySelectorAll('link[rel=preload][as=font]')]"
        ".map(link => link.href.split('/').pop())"
    )
    drawn = (
        "() => [...document.fonts].filter(face => face.status === 'loaded')"
        ".map(face => `${face.family}-${face.style === 'italic' ? 'Italic' : 'Regular'}.woff2`)"
    )
    # A busy machine may lay out the formulas, and so load their fonts, late; on a
    # timeout the assertion below names what was preloaded and what was drawn.
    with contextlib.suppress(sync_api.TimeoutError):
        page.wait_for_function(
            f"names => {{ const drawn = ({drawn})(); return names.every(n => drawn.includes(n)); }}",
            arg=preloaded,
            timeout=20_000,
        )
    loaded = page.evaluate(drawn)
    page.close()
    assert set(preloaded) <= set(loaded), f"{name}: preloaded {preloaded}, drawn in {loaded}"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_link_to_a_result_lands_on_it(browser: object, server: str, width: int) -> None:
    """A deep link (as answers on Q&A sites give) and a link followed within the page both
    bring the result to the top of the screen, however far down the page it is."""
    page = browser.new_page(viewport={"width": width, "height": 844})  # type: ignore[attr-defined]
    at_top = "id => { const top = document.getElementById(id).getBoundingClientRect().top;"
    at_top += " return top >= 0 && top < 200; }"
    page.goto(f"{server}/network.html#prop-network-output-bias", wait_until="load")
    page.wait_for_function(at_top, arg="prop-network-output-bias", timeout=5000)
    page.goto(f"{server}/network.html", wait_until="load")
    link = page.locator('article a[href="#prop-network-w2-gradient"]:not(.headerlink)').first
    link.click()
    page.wait_for_function(at_top, arg="prop-network-w2-gradient", timeout=5000)
    page.close()


# Batches of two for the sigmoid page's figure to play with: inside the concave region,
# beyond one inflection point, across one or both, and a point on itself.
EXPLORER_BATCHES = [
    (0.0, 1.0), (-1.0, 1.25), (-0.5, 0.3), (1.0, -1.3), (0.0, 0.05), (2.0, 4.0),
    (1.35, 6.0), (-5.0, -2.0), (-6.0, -1.35), (3.0, 5.5), (-2.0, 2.0), (0.0, 3.0),
    (0.0, 4.0), (-1.0, 5.0), (-6.0, 6.0), (1.2, 1.45), (-3.5, 0.5), (2.5, 2.5),
    (-0.25, -0.25), (4.0, -0.75), (5.95, 6.0), (-1.3, 1.3),
]  # fmt: skip


def _number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def test_the_figure_to_play_with_agrees_with_the_package(browser: object, server: str) -> None:
    """Set the two sliders at 22 batches: the mean of σ′, σ′ at the mean and the gap
    shown agree with gradavg.averaging_gap to the digits shown, and the sentence under
    the figure gives the gap's sign. Then the keyboard and dragging move a point."""
    from gradavg.activations import averaging_gap

    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server}/sigmoid.html", wait_until="load")
    explorer = page.locator(".gap-explorer")
    assert explorer.is_visible(), "the script did not reveal the figure to play with"
    set_batch = """([a, b]) => {
      const [one, two] = document.querySelectorAll('.gap-explorer input[type=range]');
      one.value = a; two.value = b;
      two.dispatchEvent(new Event('input'));
    }"""
    shown = "key => document.querySelector(`.gap-explorer [data-value='${key}']`).textContent"
    for batch in EXPLORER_BATCHES:
        page.evaluate(set_batch, list(batch))
        expected = averaging_gap(list(batch), "sigmoid")
        mean, at_mean, gap = (page.evaluate(shown, key) for key in ("mean", "at-mean", "gap"))
        assert _number(mean) == pytest.approx(expected.mean_of_derivative, rel=6e-6), batch
        assert _number(at_mean) == pytest.approx(expected.derivative_at_mean, rel=6e-6), batch
        assert _number(gap) == pytest.approx(expected.gap, rel=6e-4, abs=1e-15), batch
        verdict = explorer.locator(".gap-explorer-verdict").text_content() or ""
        if batch[0] == batch[1]:
            assert "coincide" in verdict, (batch, verdict)
        else:
            word = "overestimates" if expected.gap < 0 else "underestimates"
            assert word in verdict, (batch, verdict)

    slider = page.locator("#gap-explorer-z2")
    page.evaluate(set_batch, [0.0, 1.0])
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert float(slider.input_value()) == pytest.approx(1.05)
    assert page.locator("#gap-explorer-z2-value").text_content() == "1.05"

    point = page.locator(".gap-explorer-plot circle.batch").nth(1)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 150, box["y"], steps=5)
    page.mouse.up()
    dragged = float(slider.input_value())
    mean = _number(page.evaluate(shown, "mean"))
    page.close()
    assert dragged > 2.0, f"dragging the point right moved z₂ to {dragged}"
    expected = averaging_gap([0.0, dragged], "sigmoid")
    assert mean == pytest.approx(expected.mean_of_derivative, rel=6e-6)
