// The sigmoid page's figure to play with: σ′ with a batch of two points that the reader
// moves by the sliders (keyboard: arrow keys, Page Up/Down, Home/End) or by dragging a
// point. The mean of σ′, σ′ at the mean and their gap are computed here and shown live;
// the markup comes from gradavg.chapters.sigmoid.gap_explorer and stays hidden without
// this script, leaving the static figure.
"use strict";

(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 640, HEIGHT = 300;
  const PAD = { left: 64, right: 18, top: 14, bottom: 40 };
  const Y_MAX = 0.27;

  // σ′(z) = σ(z)(1 − σ(z)) = e^(−|z|) / (1 + e^(−|z|))², with no overflow for large |z|.
  const sigmaPrime = (z) => {
    const e = Math.exp(-Math.abs(z));
    return e / ((1 + e) * (1 + e));
  };
  const minus = (text) => text.replace(/-/g, "\u2212");
  const shown = (value, digits) => minus(value.toPrecision(digits));

  function element(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  function explorer(root) {
    const svg = root.querySelector("svg");
    const sliders = [...root.querySelectorAll('input[type="range"]')];
    const zMin = Number(root.dataset.zMin), zMax = Number(root.dataset.zMax);
    const inflection = Number(root.dataset.inflection);
    const x = (z) => PAD.left + ((z - zMin) / (zMax - zMin)) * (WIDTH - PAD.left - PAD.right);
    const y = (v) => HEIGHT - PAD.bottom - (v / Y_MAX) * (HEIGHT - PAD.top - PAD.bottom);
    const bottom = y(0);

    // What does not move: the concave region, the axes, the curve.
    const fixed = element("g", { "aria-hidden": "true" }, svg);
    element("rect", {
      class: "concave", x: x(-inflection), y: PAD.top,
      width: x(inflection) - x(-inflection), height: bottom - PAD.top,
    }, fixed);
    for (const side of [-inflection, inflection]) {
      element("line", { class: "inflection", x1: x(side), x2: x(side), y1: PAD.top, y2: bottom }, fixed);
    }
    element("text", { class: "note", x: x(inflection) + 4, y: bottom - 6 }, fixed).textContent = "inflection";
    element("line", { class: "axis", x1: PAD.left, x2: WIDTH - PAD.right, y1: bottom, y2: bottom }, fixed);
    element("line", { class: "axis", x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: bottom }, fixed);
    const every = svg.getBoundingClientRect().width < 480 ? 2 : 1; // room for each label on a phone
    for (let z = Math.ceil(zMin / every) * every; z <= zMax; z += every) {
      element("line", { class: "axis", x1: x(z), x2: x(z), y1: bottom, y2: bottom + 5 }, fixed);
      const label = element("text", { class: "tick", x: x(z), y: bottom + 19, "text-anchor": "middle" }, fixed);
      label.textContent = minus(String(z));
    }
    for (let k = 0; k <= 5; k += 1) {
      const v = k * 0.05;
      element("line", { class: "axis", x1: PAD.left - 5, x2: PAD.left, y1: y(v), y2: y(v) }, fixed);
      const label = element("text", { class: "tick", x: PAD.left - 8, y: y(v) + 4, "text-anchor": "end" }, fixed);
      label.textContent = v.toFixed(2);
    }
    element("text", { class: "label", x: (PAD.left + WIDTH - PAD.right) / 2, y: HEIGHT - 4, "text-anchor": "middle" }, fixed)
      .textContent = "pre-activation z";
    const steps = 240;
    const curve = Array.from({ length: steps + 1 }, (_, k) => {
      const z = zMin + ((zMax - zMin) * k) / steps;
      return `${x(z).toFixed(2)},${y(sigmaPrime(z)).toFixed(2)}`;
    });
    element("polyline", { class: "curve", points: curve.join(" ") }, fixed);

    // What moves: the chord, the two means, the gap, the batch.
    const chord = element("line", { class: "chord", "aria-hidden": "true" }, svg);
    const gap = element("line", { class: "gap", "aria-hidden": "true" }, svg);
    const meanMark = element("rect", { class: "mean", width: 11, height: 11, "aria-hidden": "true" }, svg);
    const atMeanMark = element("path", { class: "at-mean", d: "M0,-7L7,0L0,7L-7,0Z", "aria-hidden": "true" }, svg);
    const points = sliders.map(() => element("circle", { class: "batch", r: 8, "aria-hidden": "true" }, svg));

    const value = (key) => root.querySelector(`[data-value="${key}"]`);
    const verdict = root.querySelector(".gap-explorer-verdict");
    const bound = shown(inflection, 4);

    function update() {
      const z = sliders.map((slider) => Number(slider.value));
      const d = z.map(sigmaPrime);
      const zBar = (z[0] + z[1]) / 2;
      const mean = (d[0] + d[1]) / 2, atMean = sigmaPrime(zBar), difference = mean - atMean;
      sliders.forEach((slider, k) => {
        root.querySelector(`#${slider.id}-value`).textContent = minus(z[k].toFixed(2));
        points[k].setAttribute("cx", x(z[k]));
        points[k].setAttribute("cy", y(d[k]));
      });
      chord.setAttribute("x1", x(z[0])); chord.setAttribute("y1", y(d[0]));
      chord.setAttribute("x2", x(z[1])); chord.setAttribute("y2", y(d[1]));
      meanMark.setAttribute("x", x(zBar) - 5.5); meanMark.setAttribute("y", y(mean) - 5.5);
      atMeanMark.setAttribute("transform", `translate(${x(zBar)},${y(atMean)})`);
      gap.setAttribute("x1", x(zBar) + 14); gap.setAttribute("x2", x(zBar) + 14);
      gap.setAttribute("y1", y(mean)); gap.setAttribute("y2", y(atMean));
      value("mean").textContent = shown(mean, 6);
      value("at-mean").textContent = shown(atMean, 6);
      value("gap").textContent = (difference > 0 ? "+" : "") + shown(difference, 4);

      const inside = z.every((point) => Math.abs(point) < inflection);
      const beyond = z.every((point) => point > inflection) || z.every((point) => point < -inflection);
      const where = inside
        ? `Both points lie in the concave region, |z| < ${bound}`
        : beyond
          ? `Both points lie on one side beyond the inflection point, |z| > ${bound}, where σ′ is convex`
          : "The batch reaches across an inflection point";
      const effect = difference < 0
        ? "the mean of σ′ is below σ′ at the mean: averaging first overestimates the factor."
        : difference > 0
          ? "the mean of σ′ is above σ′ at the mean: averaging first underestimates the factor."
          : "the two agree.";
      verdict.textContent = z[0] === z[1]
        ? "The two points coincide: the mean of σ′ is σ′ at the mean."
        : `${where}; ${effect}`;
      root.dataset.sign = difference < 0 ? "negative" : difference > 0 ? "positive" : "zero";
    }

    // Dragging a point moves its slider, in the slider's steps.
    points.forEach((point, k) => {
      const slider = sliders[k];
      const step = Number(slider.step);
      const move = (event) => {
        const matrix = svg.getScreenCTM();
        if (!matrix) return;
        const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
        const z = zMin + ((at.x - PAD.left) / (WIDTH - PAD.left - PAD.right)) * (zMax - zMin);
        const snapped = Math.round((Math.min(zMax, Math.max(zMin, z)) - zMin) / step) * step + zMin;
        slider.value = snapped.toFixed(6);
        update();
      };
      point.addEventListener("pointerdown", (event) => {
        point.setPointerCapture(event.pointerId);
        point.addEventListener("pointermove", move);
        event.preventDefault();
      });
      point.addEventListener("pointerup", () => point.removeEventListener("pointermove", move));
      point.addEventListener("pointercancel", () => point.removeEventListener("pointermove", move));
    });
    for (const slider of sliders) slider.addEventListener("input", update);
    update();
    root.hidden = false;
  }

  const start = () => document.querySelectorAll(".gap-explorer").forEach(explorer);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
