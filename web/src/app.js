// The dashboard page: controls, summary numbers, the field-office map and the charts.
// The model runs in a Web Worker (worker.js); this file only builds the page from
// what the worker returns.
import { renderMap, mapTable } from './map.js';

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

// ---------------------------------------------------------------- worker calls

let nextId = 1;
const waiting = new Map();
worker.onmessage = ({ data }) => {
  const w = waiting.get(data.id);
  if (!w) return;
  if (data.type === 'progress') return w.progress?.(data.done, data.total);
  waiting.delete(data.id);
  if (data.type === 'done') w.resolve(data.value);
  else w.reject(new Error(data.message));
};
worker.onerror = (e) => showError(`The engine failed to load: ${e.message ?? e}`);

function call(op, payload = {}, progress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, progress });
    worker.postMessage({ ...payload, id, op });
  });
}

// ---------------------------------------------------------------- formatting

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const two = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

function fmt(kind, v) {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (kind === 'pct') return pct.format(v);
  if (kind === 'two') return two.format(v);
  return whole.format(v);
}

// The headline numbers, in the order the cards show them. Their labels and kinds are
// the model's (quotasim::metrics::KEYS, through describe()).
const CARDS = [
  'arrests_per_day_mean',
  'quota_attainment',
  'share_other',
  'share_convicted',
  'other_per_convicted',
  'offices_missing_quota_share',
  'share_community',
  'hours_diverted_total',
  'hsi_own_output_forgone',
  'detained_at_end',
  'peak_detained',
  'removals_per_year',
];

// How each kind of key reads: a share as a percentage, a ratio with two decimals.
const KIND_FORMAT = { share: 'pct', ratio: 'two', count: 'whole' };

function cardInfo(key) {
  const info = state.info.keys.find((k) => k.key === key);
  return [key, info.label, KIND_FORMAT[info.kind]];
}

// ---------------------------------------------------------------- state

const state = {
  scenarios: [],
  scenario: null, // {file, name, toml}
  info: null, // describe(): levers, offices, run settings
  moved: {}, // lever id -> value held for the run
  text: '', // the scenario text of the last run (for download)
  last: null, // the last result
  map: null, // offices-map.json
  changedAt: null, // when the reader last changed something (for the timing)
  running: false,
  again: false,
};

// ---------------------------------------------------------------- controls

function leverValue(l) {
  return l.id in state.moved ? state.moved[l.id] : l.value;
}

function scheduleText(l) {
  if (l.kind === 'jail_cooperation') {
    const n = l.changes.length;
    return n ? `1 = each office's share from state law; ${n} dated change(s) in the scenario` : "1 = each office's share from state law";
  }
  const show = (v) => (typeof v === 'boolean' ? (v ? 'on' : 'off') : whole.format(Number(v)));
  const parts = [`${show(l.start)} at the start`];
  for (const c of l.changes) parts.push(`${show(c.value === 'true' ? true : c.value === 'false' ? false : Number(c.value))} from ${c.date}${c.until ? ` to ${c.until}` : ''}`);
  return `In the scenario: ${parts.join('; ')}.`;
}

function buildControls() {
  const box = $('levers');
  box.replaceChildren();
  const groups = new Map();
  for (const l of state.info.levers) {
    if (!groups.has(l.group)) {
      const fs = document.createElement('fieldset');
      const lg = document.createElement('legend');
      lg.textContent = l.group;
      fs.append(lg);
      groups.set(l.group, fs);
      box.append(fs);
    }
    groups.get(l.group).append(leverControl(l));
  }
}

function leverControl(l) {
  const div = document.createElement('div');
  div.className = 'lever';
  div.dataset.lever = l.id;
  const id = `lever-${l.id.replaceAll('.', '-')}`;
  const top = document.createElement('div');
  top.className = 'top';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = l.label;
  const reset = document.createElement('button');
  reset.type = 'button';
  reset.className = 'reset-one';
  reset.textContent = 'Scenario value';
  reset.setAttribute('aria-label', `Use the scenario's own ${l.label.toLowerCase()}`);
  reset.hidden = true;
  top.append(label, reset);
  const help = document.createElement('p');
  help.className = 'schedule';
  help.id = `${id}-help`;
  help.textContent = `${l.help} ${scheduleText(l)}`;
  div.append(top);
  const set = (v) => {
    state.moved[l.id] = v;
    div.classList.add('moved');
    reset.hidden = false;
    changed();
  };
  if (l.kind === 'switch') {
    const row = document.createElement('label');
    row.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.checked = Boolean(leverValue(l));
    box.setAttribute('aria-describedby', help.id);
    row.append(box, document.createTextNode(' on'));
    label.htmlFor = id;
    box.addEventListener('change', () => set(box.checked));
    reset.addEventListener('click', () => {
      delete state.moved[l.id];
      box.checked = Boolean(l.value);
      div.classList.remove('moved');
      reset.hidden = true;
      changed();
    });
    div.append(row);
  } else {
    const inputs = document.createElement('div');
    inputs.className = 'inputs';
    const range = document.createElement('input');
    range.type = 'range';
    range.id = id;
    const num = document.createElement('input');
    num.type = 'number';
    num.setAttribute('aria-label', `${l.label}, exact value`);
    for (const el of [range, num]) {
      el.min = l.min;
      el.max = l.max;
      el.step = l.step;
      el.value = leverValue(l);
      el.setAttribute('aria-describedby', help.id);
    }
    // The slider spans the usual values; the exact box takes the parameter's whole
    // allowed range (the model's parameter registry).
    num.min = l.allowed_min;
    num.max = l.allowed_max;
    const unit = document.createElement('span');
    unit.className = 'unit';
    unit.textContent = l.unit;
    range.addEventListener('input', () => {
      num.value = range.value;
      set(Number(range.value));
    });
    num.addEventListener('change', () => {
      const v = Number(num.value);
      if (!Number.isFinite(v) || v < l.allowed_min || v > l.allowed_max) {
        showError(`${l.label}: ${num.value} is outside ${l.allowed_min} to ${l.allowed_max} ${l.unit}.`);
        num.value = range.value;
        return;
      }
      range.value = v;
      set(v);
    });
    reset.addEventListener('click', () => {
      delete state.moved[l.id];
      range.value = num.value = l.value;
      div.classList.remove('moved');
      reset.hidden = true;
      changed();
    });
    inputs.append(range, num, unit);
    div.append(inputs);
  }
  div.append(help);
  return div;
}

// ---------------------------------------------------------------- running

function settings() {
  const int = (id, lo, hi) => {
    const el = $(id);
    const v = Number(el.value);
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${el.labels[0].textContent}: ${el.value} is not a whole number from ${lo} to ${hi}.`);
    return v;
  };
  return {
    seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
    days: int('days', 1, 3650),
    reps: int('reps', 1, 20),
  };
}

let timer = null;
function changed() {
  state.changedAt ??= performance.now();
  clearTimeout(timer);
  timer = setTimeout(run, 150);
}

async function run() {
  if (state.running) {
    state.again = true;
    return;
  }
  let s;
  try {
    s = settings();
  } catch (e) {
    showError(e.message);
    state.changedAt = null;
    return;
  }
  state.running = true;
  state.again = false;
  const changedAt = state.changedAt ?? performance.now();
  state.changedAt = null;
  document.body.dataset.state = 'running';
  $('error').hidden = true;
  const compare = $('compare').checked;
  setStatus(0, `Simulating ${whole.format(s.days)} days${s.reps > 1 ? ` x ${s.reps} replications` : ''}${compare ? ', twice (to compare)' : ''}…`);
  try {
    const out = await call(
      'run',
      { text: state.scenario.toml, origin: state.scenario.file, settings: { seed: s.seed, days: s.days, levers: state.moved }, reps: s.reps, compare },
      (done, total) => setStatus(done / total),
    );
    if (state.again) return; // a newer request is waiting: do not draw this one
    state.text = out.text;
    state.last = out;
    render(out);
    // Two frames: the browser has laid out and painted the new charts.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const ms = performance.now() - changedAt;
        $('status').dataset.ms = ms.toFixed(0);
        $('status').dataset.engineMs = out.engineMs.toFixed(0);
        setStatus(1, `Updated in ${(ms / 1000).toFixed(2)} s (the model: ${(out.engineMs / 1000).toFixed(2)} s).`);
        document.body.dataset.state = 'ready';
      }),
    );
  } catch (e) {
    showError(e.message);
    setStatus(0, 'The run failed.');
    document.body.dataset.state = 'error';
  } finally {
    state.running = false;
    if (state.again) {
      state.changedAt ??= changedAt;
      run();
    }
  }
}

function setStatus(fraction, text) {
  $('progress').value = fraction;
  if (text !== undefined) $('status-text').textContent = text;
}

function showError(message) {
  const el = $('error');
  el.textContent = message;
  el.hidden = false;
}

// ---------------------------------------------------------------- results

function render(out) {
  const r = out.result;
  const summary = out.compare ? r.b : r.summary;
  renderCards(summary, out.compare ? r.a : null, out.compare ? r.differences : null);
  renderValues(summary, out.compare ? r.a : null);
  drawMap(summary);
  renderCharts(r.figures);
}

function renderCards(s, base, differences) {
  // B - A paired by replication, computed by the model (quotasim compare's numbers).
  const paired = new Map((differences || []).map((d) => [d.key, d]));
  const dl = $('summary');
  dl.replaceChildren();
  for (const [key, label, kind] of CARDS.map(cardInfo)) {
    if (!(key in s)) continue;
    const card = document.createElement('div');
    card.className = 'card';
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.dataset.key = key;
    dd.dataset.value = JSON.stringify(s[key]);
    dd.textContent = fmt(kind, s[key]);
    if (`${key}_p05` in s && s[`${key}_p05`] !== null) {
      const range = document.createElement('span');
      range.className = 'range';
      range.textContent = `5-95 %: ${fmt(kind, s[`${key}_p05`])} to ${fmt(kind, s[`${key}_p95`])}`;
      dd.append(range);
    }
    if (base && paired.has(key) && typeof base[key] === 'number') {
      const d = paired.get(key).diff;
      const b = document.createElement('span');
      b.className = 'base';
      const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
      const diff = kind === 'pct' ? `${sign}${two.format(Math.abs(d) * 100)} points` : `${sign}${fmt(kind, Math.abs(d))}`;
      b.textContent = `shipped: ${fmt(kind, base[key])}; change ${diff}`;
      dd.append(b);
    }
    card.append(dt, dd);
    dl.append(card);
  }
  const first = s.first_office_missing_quota;
  if (first !== undefined) {
    const card = document.createElement('div');
    card.className = 'card';
    const office = state.info.offices.find((o) => o.code === first);
    card.innerHTML = '<dt>First office to miss its quota</dt><dd></dd>';
    const dd = card.querySelector('dd');
    dd.dataset.key = 'first_office_missing_quota';
    dd.dataset.value = JSON.stringify(first);
    dd.textContent = first === null ? 'none' : `${office ? office.name : first}, ${s.first_miss_date}`;
    dl.append(card);
  }
}

function renderValues(s, base) {
  const t = $('values-table');
  t.replaceChildren();
  const head = t.createTHead().insertRow();
  for (const h of base ? ['key', 'this run', 'shipped'] : ['key', 'value']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  for (const [k, v] of Object.entries(s)) {
    const row = body.insertRow();
    row.insertCell().textContent = k;
    const cell = row.insertCell();
    cell.textContent = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
    cell.dataset.key = k;
    cell.dataset.value = JSON.stringify(v);
    if (base) row.insertCell().textContent = JSON.stringify(base[k]);
  }
}

function drawMap(summary) {
  if (!state.map || !summary) return;
  const key = $('map-output').value;
  const label = $('map-output').selectedOptions[0].textContent;
  renderMap($('map'), state.map, summary[key] ?? {}, key, label);
  mapTable($('map-table'), summary, state.info.offices);
}

function renderCharts(figures) {
  const box = $('charts');
  box.replaceChildren();
  for (const f of figures) {
    const fig = document.createElement('figure');
    fig.id = `chart-${f.id}`;
    const h = document.createElement('h3');
    h.textContent = f.title;
    const holder = document.createElement('div');
    // The SVG comes from the engine's report code (quotasim-report); it carries
    // role="img" and its text alternative.
    holder.innerHTML = f.svg;
    const cap = document.createElement('figcaption');
    cap.innerHTML = f.caption;
    fig.append(h, holder, cap);
    box.append(fig);
  }
}

// ---------------------------------------------------------------- scenario choice

async function chooseScenario(file) {
  state.scenario = state.scenarios.find((s) => s.file === file);
  state.info = await call('describe', { text: state.scenario.toml, origin: state.scenario.file });
  state.moved = {};
  $('days').value = state.info.days;
  $('seed').value = state.info.seed;
  buildControls();
  changed();
}

function download() {
  if (!state.text) return;
  const blob = new Blob([state.text], { type: 'application/toml' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${state.info.name}-dashboard.toml`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function start() {
  try {
    const [list, map] = await Promise.all([
      call('scenarios'),
      fetch(new URL('./offices-map.json', import.meta.url)).then((r) => r.json()),
    ]);
    state.scenarios = list;
    state.map = map;
    const sel = $('scenario');
    for (const s of list) sel.add(new Option(`${s.name} (${s.file})`, s.file));
    sel.addEventListener('change', () => chooseScenario(sel.value));
    for (const id of ['days', 'seed', 'reps']) $(id).addEventListener('change', changed);
    $('compare').addEventListener('change', changed);
    $('download').addEventListener('click', download);
    $('reset').addEventListener('click', () => chooseScenario(sel.value));
    $('map-output').addEventListener('change', () => drawMap(state.last && (state.last.compare ? state.last.result.b : state.last.result.summary)));
    await chooseScenario(list[0].file);
  } catch (e) {
    showError(e.message);
    document.body.dataset.state = 'error';
  }
}

start();
