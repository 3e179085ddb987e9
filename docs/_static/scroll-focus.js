// A displayed equation or a table wider than the screen scrolls sideways; each one that
// does takes the keyboard focus, so that it can be scrolled without a mouse (WCAG 2.1.1,
// axe-core: scrollable-region-focusable). Checked again when the window changes size.
"use strict";
(() => {
  const SCROLLERS = ".katex-display, .table-wrapper";
  const mark = () => {
    for (const region of document.querySelectorAll(SCROLLERS)) {
      if (region.scrollWidth > region.clientWidth + 1) region.tabIndex = 0;
      else region.removeAttribute("tabindex");
    }
  };
  addEventListener("load", mark);
  addEventListener("resize", mark);
})();
