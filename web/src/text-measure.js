// Text measurement for the report's charts inside a Web Worker.
//
// The charts are drawn by the Rust report code (plotters' SVG backend). On wasm32,
// plotters sizes text by putting a <span> into the page and reading its offsetWidth;
// a Web Worker has no page. This module gives the worker the few DOM pieces that code
// touches (window, document.body, a span element), and sizes text with the same
// estimate plotters uses natively (plotters 0.3.7, style/font/naive.rs: an em of
// size / 1.24^2, 0.7 em per byte of text), so the page draws the charts the command's
// report.html draws. Nothing else reads these objects.

const encoder = new TextEncoder();

class MeasuredText {
  constructor() {
    this.textContent = '';
    this.size = 12;
  }
  setAttribute(name, value) {
    if (name !== 'style') return;
    const m = /font-size:\s*([0-9.]+)px/.exec(value);
    if (m) this.size = Number(m[1]);
  }
  get em() {
    return this.size / 1.24 / 1.24;
  }
  get offsetWidth() {
    return Math.round(this.em * 0.7 * encoder.encode(this.textContent ?? '').length);
  }
  get offsetHeight() {
    return Math.round(this.em) + Math.round(this.em * 0.24);
  }
  remove() {}
}

/** Installs the pieces on `scope` (the worker's global object); returns `scope`. */
export function installTextMeasure(scope) {
  if (typeof scope.document !== 'undefined') return scope; // a real page: nothing to do
  scope.Window = scope.constructor;
  scope.HTMLElement = MeasuredText;
  scope.document = {
    body: { append() {} },
    createElement: () => new MeasuredText(),
  };
  return scope;
}
