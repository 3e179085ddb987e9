// Formulas wider than the reader's screen.
//
// A displayed equation or a table that scrolls sideways takes the keyboard focus, so that
// it can be scrolled without a mouse (WCAG 2.1.1, axe-core: scrollable-region-focusable),
// and fades out at an edge with more beyond it, the sign that it scrolls (the classes
// more-left and more-right, book.css). A written-out matrix in a derivation, which the
// page marks focusable as it is built, fades the same way. A derivation whose steps do
// not fit beside their rules and proof methods is stacked (the class stacked: each rule
// under its step, as on a phone).
//
// A ResizeObserver checks each again whenever its size changes: when the window does,
// when the math fonts arrive, and when a section below the first screen is laid out
// (book.css lays such sections out as they come into view); and all are measured once
// more when the page has loaded.
"use strict";
(() => {
  const MEASURED = ".katex-display, .table-wrapper";
  const FOCUSABLE = ".derivation [tabindex], .derivation-where [tabindex]";
  // A glyph's overhang of a pixel or two is no sign to give, nor a reason to shrink it.
  const tooWide = (region) => region.scrollWidth - region.clientWidth > 4;
  const edges = (region) => {
    const beyond = region.scrollWidth - region.clientWidth;
    const scrolls = tooWide(region);
    region.classList.toggle("more-left", scrolls && region.scrollLeft > 1);
    region.classList.toggle("more-right", scrolls && region.scrollLeft < beyond - 1);
  };
  // Whether every step's formula ends inside its own cell (a scrolling matrix always does).
  const fits = (grid) =>
    [...grid.children].every((cell) => {
      if (cell.hasAttribute("tabindex")) return true;
      const right = cell.getBoundingClientRect().right + 1;
      return [...cell.querySelectorAll(".katex-html")].every((math) =>
        [...math.getClientRects()].every((line) => line.right <= right),
      );
    });
  const mark = (region) => {
    if (region.matches(".derivation")) {
      region.classList.remove("stacked");
      if (!fits(region)) region.classList.add("stacked");
      return;
    }
    if (region.matches(MEASURED)) {
      if (region.scrollWidth > region.clientWidth) region.tabIndex = 0;
      else region.removeAttribute("tabindex");
    }
    edges(region);
  };
  const observer = new ResizeObserver((entries) => entries.forEach((e) => mark(e.target)));
  const regions = () => document.querySelectorAll(`.derivation, ${MEASURED}, ${FOCUSABLE}`);
  const start = () =>
    regions().forEach((region) => {
      observer.observe(region);
      region.addEventListener("scroll", () => edges(region), { passive: true });
    });
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", start);
  else start();
  // Once the fonts are in, every region is measured again at once, before anything else
  // runs after the load event.
  addEventListener("load", () => regions().forEach(mark));
  // On paper nothing scrolls (book.css): a formula or table wider than the printed
  // column is drawn smaller, to the column's width, while the page is laid out for print
  // (the browser runs this listener with the paper's layout, before it prints), and at
  // its own size again afterwards. Where a box shrinks with what it holds, or a glyph
  // overhangs, what is still too wide is measured again and drawn smaller still.
  const fitToPaper = (printing) => {
    const scrolling = [...document.querySelectorAll(`${MEASURED}, ${FOCUSABLE}`)];
    scrolling.forEach((region) => region.firstElementChild?.style.removeProperty("zoom"));
    for (let pass = 0; printing && pass < 4; pass++) {
      const wide = scrolling.filter((region) => region.firstElementChild && tooWide(region));
      const zooms = wide.map((region) => {
        const now = Number(region.firstElementChild.style.zoom || 1);
        return Math.floor((now * (region.clientWidth - 2) * 1000) / region.scrollWidth) / 1000;
      });
      wide.forEach((region, k) => (region.firstElementChild.style.zoom = String(zooms[k])));
    }
  };
  matchMedia("print").addEventListener("change", (query) => fitToPaper(query.matches));
})();
