// The dashboard's Web Worker: it holds the WebAssembly engine and runs the model, so
// the page never freezes. Messages from the page: {id, op, ...}; answers:
// {id, type: 'progress', done, total} while a run goes on, then
// {id, type: 'done', value} or {id, type: 'error', message}.
import { installTextMeasure } from './text-measure.js';
import init, * as engine from '../pkg/quotasim_wasm.js';

installTextMeasure(self);
const ready = init({ module_or_path: new URL('quotasim_wasm_bg.wasm', import.meta.url) });

const ops = {
  scenarios: () => JSON.parse(engine.scenarios()),
  describe: ({ text, origin }) => JSON.parse(engine.describe(text, origin)),
  // The settings written into the scenario, then run (and the shipped scenario with
  // only the page's seed and days beside it when comparing), in one call: the edited
  // text is checked and planned once. The edited text comes back for download.
  // The charts are drawn for `width` CSS pixels, the width they are shown at.
  run: ({ id, text, origin, settings, reps, compare, width }) => {
    const progress = (done, total) => self.postMessage({ id, type: 'progress', done, total });
    const started = performance.now();
    const [edited, out] = engine.run(text, origin, JSON.stringify(settings), reps, compare, width, progress);
    return { text: edited, result: JSON.parse(out), compare, engineMs: performance.now() - started };
  },
  // "What the quota did" for the page's own run: the quota against everything else.
  split: ({ id, text, origin, reps }) => {
    const progress = (done, total) => self.postMessage({ id, type: 'progress', done, total });
    return JSON.parse(engine.split(text, origin, reps, progress));
  },
  // "What would it take": a small solve on the page's scenario (levers applied).
  solve: ({ id, text, origin, target, levers }) => {
    const progress = (done, total) => self.postMessage({ id, type: 'progress', done, total });
    return JSON.parse(engine.solve(text, origin, target, JSON.stringify(levers), progress));
  },
};

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const op = ops[data.op];
    if (!op) throw new Error(`unknown operation ${data.op}`);
    self.postMessage({ id: data.id, type: 'done', value: op(data) });
  } catch (e) {
    self.postMessage({ id: data.id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
