// A displayed equation or a table wider than the screen scrolls sideways; each one that
// does takes the keyboard focus, so that it can be scrolled without a mouse (WCAG 2.1.1,
// axe-core: scrollable-region-focusable). A ResizeObserver checks each again whenever its
// size changes: when the window does, when the math fonts arrive, and when a section
// below the first screen is laid out (book.css lays such sections out as they come into
// view); and all are measured once more when the page has loaded.
"use strict";
(() => {
  const mark = (region) => {
    if (region.scrollWidth > region.clientWidth) region.tabIndex = 0;
    else region.removeAttribute("tabindex");
  };
  const observer = new ResizeObserver((entries) => entries.forEach((e) => mark(e.target)));
  const regions = () => document.querySelectorAll(".katex-display, .table-wrapper");
  const start = () => regions().forEach((region) => observer.observe(region));
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", start);
  else start();
  // Once the fonts are in, every region is measured again at once, before anything else
  // runs after the load event.
  addEventListener("load", () => regions().forEach(mark));
})();
