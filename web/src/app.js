// The dashboard page: controls, summary numbers, the field-office map and the charts.
// The model runs in a Web Worker (worker.js); this file only builds the page from
// what the worker returns.
import { renderMap, mapTable, mapCsv, notDrawn, SHADINGS } from './map.js';
// The shipped default's attribution, precomputed (scripts/attribution_json.py): 2^8
// runs a replication are minutes of work, too long for the page.
import ATTRIBUTION from './attribution-default.json';

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- worker calls

let nextId = 1;
const waiting = new Map();
let worker = startWorker();

/** A Web Worker holding the engine, its answers routed to the calls waiting for them. */
function startWorker() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = ({ data }) => {
    const c = waiting.get(data.id);
    if (!c) return;
    if (data.type === 'progress') return c.progress?.(data.done, data.total);
    waiting.delete(data.id);
    if (data.type === 'done') c.resolve(data.value);
    else c.reject(new Error(data.message));
  };
  w.onerror = (e) => showError(`The engine failed to load: ${e.message ?? e}`);
  return w;
}

/**
 * Stops whatever the engine is doing (a long run, a split, a search): the worker is
 * ended and a fresh one started; every call waiting is answered "stopped".
 */
function stopEngine() {
  worker.terminate();
  worker = startWorker();
  for (const [id, c] of waiting) {
    waiting.delete(id);
    c.reject(new Error('stopped'));
  }
}

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
const pct = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct0 = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

// Keys that are undefined (null) when the run has no arrest target.
const QUOTA_KEYS = new Set([
  'quota_attainment',
  'quota_attainment_in_force',
  'quota_national_per_day_in_force',
  'arrests_per_day_under_target_in_force',
  'offices_missing_quota_share',
]);

/** US dollars, in words for large sums: "8.37 billion USD". */
function money(v) {
  if (Math.abs(v) >= 1e9) return `${two.format(v / 1e9)} billion USD`;
  if (Math.abs(v) >= 1e6) return `${two.format(v / 1e6)} million USD`;
  return `${whole.format(v)} USD`;
}

/** A number to about three significant figures, for sentences: 207,000; 894. */
function round3(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a < 1000) return whole.format(v);
  const unit = 10 ** (Math.floor(Math.log10(a)) - 2);
  return whole.format(Math.round(v / unit) * unit);
}

function fmt(kind, v, key = '') {
  if (v === null || v === undefined) return QUOTA_KEYS.has(key) ? 'no target' : 'not defined';
  if (typeof v === 'string') return v;
  if (kind === 'money') return money(v);
  if (kind === 'pct') return pct.format(v);
  if (kind === 'two') return two.format(v);
  return whole.format(v);
}

// The cards, ranked: the key ones first and larger. Labels and kinds are the model's
// (quotasim::summary::KEYS, through describe()); money is shown in words.
const KEY_CARDS = [
  'arrests_per_day_mean',
  'share_other',
  'detained_at_end',
  'removals_per_year',
  'cost_per_year',
];
const CARDS = [
  'quota_attainment_in_force',
  'offices_missing_quota_share',
  'share_convicted',
  'other_per_convicted',
  'share_community',
  'hours_diverted_total',
  'hsi_own_output_forgone',
  'peak_detained',
  'cost_per_arrest',
  'cost_per_removal',
  // ICE's multi-year money left on the run's last day (docs/model.md 7.19).
  'budget_detention_left_end',
  'budget_enforcement_left_end',
];

// How each kind of key reads: a share as a percentage, a ratio with two decimals.
const KIND_FORMAT = { share: 'pct', ratio: 'two', count: 'whole' };

function cardInfo(key) {
  const info = state.info.keys.find((k) => k.key === key);
  const kind = info.unit.startsWith('USD') ? 'money' : KIND_FORMAT[info.kind];
  return [key, info.label, kind];
}

/** A number of the summary in a sentence, marked with its key and exact value. */
function num(s, key, text) {
  const span = document.createElement('span');
  span.dataset.key = key;
  span.dataset.value = JSON.stringify(s[key]);
  span.textContent = text;
  return span;
}

/**
 * The headline: one sentence from the summary. "894 arrests a day, 30 % of the 3,000
 * target in force; every office misses its quota; 62 % of those arrested have neither
 * conviction nor charge; 57,700 detained in 75,000 funded beds; removals at 207,000 a
 * year, 1,700 days from one million."
 */
function headline(s) {
  const parts = [];
  const clause = (...bits) => parts.push(bits);
  const target = s.quota_national_per_day_in_force;
  if (target) {
    // One arrests figure, with its period: the days under the target in force.
    clause(
      num(s, 'arrests_per_day_under_target_in_force', round3(s.arrests_per_day_under_target_in_force)),
      ` arrests a day from ${s.quota_in_force_since}, `,
      num(s, 'quota_attainment_in_force', pct0.format(s.quota_attainment_in_force)),
      ' of the ',
      num(s, 'quota_national_per_day_in_force', whole.format(target)),
      ' target in force since then',
    );
    const by = Object.values(s.quota_attainment_by_office ?? {});
    const missing = s.offices_missing_quota_share;
    if (missing === 1) clause('every office misses its quota');
    else if (missing === 0) clause('every office meets its quota');
    else if (missing !== null) {
      clause(num(s, 'offices_missing_quota_share', `${Math.round(missing * by.length)} of ${by.length}`), ' offices miss their quota');
    }
  } else {
    clause(num(s, 'arrests_per_day_mean', round3(s.arrests_per_day_mean)), ' arrests a day, with no arrest target');
  }
  if (s.share_other !== null) {
    clause(num(s, 'share_other', pct0.format(s.share_other)), ' of those arrested have neither conviction nor charge');
  }
  clause(...detainedClause(s));
  const days = s.days_to_one_million_removals;
  clause(
    'removals at ',
    num(s, 'removals_per_year', round3(s.removals_per_year)),
    ' a year',
    ...(days === null ? ['; none removed'] : [', ', num(s, 'days_to_one_million_removals', round3(days)), ' days from one million']),
  );
  const p = $('headline');
  p.replaceChildren();
  parts.forEach((bits, i) => {
    if (i > 0) p.append('; ');
    p.append(...bits);
  });
  p.append('.');
  // The first letter of the sentence, capitalised if it is a word.
  const first = p.firstChild;
  if (first?.nodeType === Node.TEXT_NODE) first.textContent = first.textContent[0].toUpperCase() + first.textContent.slice(1);
}

/**
 * The detained, with the limit that binds them: what ICE can hold (its capacity, the
 * funded beds where the scenario gives none), and the funded beds where they differ.
 * "60,500 detained in 92,600 funded beds"; "73,400 detained: full, at the 73,900 ICE can
 * hold (the limit; 10,000 beds funded)".
 */
function detainedClause(s) {
  const det = s.detained_at_end;
  const cap = s.capacity_at_end;
  const full = det >= 0.98 * cap;
  if (Math.round(cap) === Math.round(s.beds_at_end)) {
    return [
      num(s, 'detained_at_end', round3(det)),
      ' detained in ',
      num(s, 'beds_at_end', round3(s.beds_at_end)),
      full ? ' funded beds, full: the funded beds are the limit' : ' funded beds',
    ];
  }
  return [
    num(s, 'detained_at_end', round3(det)),
    full ? ' detained, full at the ' : ' detained of the ',
    num(s, 'capacity_at_end', round3(cap)),
    ' ICE can hold (the limit; ',
    num(s, 'beds_at_end', round3(s.beds_at_end)),
    ' beds funded)',
  ];
}

/**
 * The compact result bar a phone keeps in view while levers move: arrests a day (under
 * the target in force, where there is one), detained, removals a year.
 */
function resultBar(s) {
  const item = (value, what) => {
    const span = document.createElement('span');
    const b = document.createElement('b');
    b.textContent = value;
    span.append(b, ` ${what}`);
    return span;
  };
  const target = s.quota_national_per_day_in_force;
  $('bar').replaceChildren(
    item(round3(target ? s.arrests_per_day_under_target_in_force : s.arrests_per_day_mean), target ? `arrests a day (target ${whole.format(target)})` : 'arrests a day'),
    item(round3(s.detained_at_end), 'detained'),
    item(round3(s.removals_per_year), 'removals a year'),
  );
}

/**
 * Plain sentences for results that look impossible at first sight, each with what in
 * the model makes it so (docs/model.md 7.8). Empty when nothing looks odd.
 */
function oddities(s) {
  const out = [];
  if (s.beds_at_end < s.capacity_at_end && s.detained_at_end > s.beds_at_end) {
    out.push(
      `More people are detained (${fmt('whole', s.detained_at_end)}) than beds are funded (${fmt('whole', s.beds_at_end)}): ICE holds people above its funded beds up to what it can physically hold (${fmt('whole', s.capacity_at_end)}), as it did before 2025. The funded beds set what detention costs, not how many are held; lower the capacity to make fewer beds the limit.`,
    );
  }
  if (s.detained_at_end > 1.01 * s.capacity_at_end) {
    out.push(
      `More people are detained (${fmt('whole', s.detained_at_end)}) than ICE can hold (${fmt('whole', s.capacity_at_end)}): people waiting for removal are not released for want of room, and where the scenario holds new arrests when detention is full, they are kept above it.`,
    );
  }
  // The value a lever held in the run: the reader's, or the scenario's last.
  const held = (id) => {
    const l = state.info?.levers.find((x) => x.id === id);
    return l ? Number(leverValue(l)) : NaN;
  };
  if (held('removal.flights_per_day') === 0 && held('removal.capacity_per_day') === 0 && s.removals_total > 0) {
    out.push(
      `Removals go on (${fmt('whole', s.removals_total)} over the run) with no removal flights and no removals by land or commercial flight: removals to third countries, a route of their own in the scenario, continue.`,
    );
  }
  if (s.arrests_total === 0) {
    out.push('No one is arrested: with these settings no office has the officer-hours or the reason to make an arrest.');
  }
  return out;
}

/** A run's dates: "2025-01-20 to 2026-12-31". */
function runPeriod(s) {
  return `${dayDate(0)} to ${dayDate(s.days - 1)}`;
}

/** The date a run's day falls on (day 0: the first day). */
function dayDate(day) {
  const d = new Date(`${state.info.start_date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.round(day));
  return d.toISOString().slice(0, 10);
}

/**
 * When a fund runs out: the day it ran out in the run, or, where it lasts past the
 * run's end, the day it would at the pace of the run's last days, as a date (with the
 * replications' range); or that no run-out is in sight (docs/model.md 7.19).
 */
function runsOut(s, key) {
  const day = s[key];
  if (day === null || day === undefined || day > 36500) return 'no run-out in sight at this pace';
  const lo = s[`${key}_p05`];
  const hi = s[`${key}_p95`];
  const range = lo !== undefined && lo !== null && hi !== null && lo !== hi ? ` (5-95 %: ${dayDate(lo)} to ${dayDate(hi)})` : '';
  return `runs out on ${dayDate(day)} at this pace${range}`;
}

/** The line under a card that sets it in context. */
function context(key, s) {
  switch (key) {
    case 'arrests_per_day_mean': {
      const period = `over the whole run, ${runPeriod(s)}`;
      return s.quota_national_per_day_in_force
        ? `${period}; ${fmt('whole', s.arrests_per_day_under_target_in_force)} a day from ${s.quota_in_force_since}, under the ${fmt('whole', s.quota_national_per_day_in_force)} target then in force: ${fmt('pct', s.quota_attainment_in_force)} of it`
        : `${period}; no target`;
    }
    case 'share_other':
      return `${fmt('pct', s.share_convicted)} had a conviction`;
    case 'detained_at_end':
      return `ICE can hold ${fmt('whole', s.capacity_at_end)}; ${fmt('whole', s.beds_at_end)} beds funded, ${fmt('whole', s.contracted_beds_at_end)} under contract`;
    case 'removals_per_year':
      if (s.days_to_one_million_removals === null) return 'none removed';
      return `a million would take ${fmt('whole', s.days_to_one_million_removals)} days at this pace${s.one_million_removals_day === null ? '' : `; the millionth removal on ${dayDate(s.one_million_removals_day)}`}`;
    case 'cost_per_year':
      return s.cost_per_removal === null ? '' : `${money(s.cost_per_arrest)} an arrest; ${money(s.cost_per_removal)} a removal`;
    case 'budget_detention_left_end':
      return runsOut(s, 'budget_detention_runs_out_day');
    case 'budget_enforcement_left_end':
      return runsOut(s, 'budget_enforcement_runs_out_day');
    default:
      return '';
  }
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
  drawnWidth: 0, // the width the charts were last drawn for
  solving: false,
  pickedOffice: null, // the office last clicked or tapped on the map
  running: false,
  again: false,
};

// ---------------------------------------------------------------- controls

/** An engine's rule in a reader's words: dotted paths as the page's labels. */
function plainReason(text) {
  let out = text.replace(/\s*\(docs\/[^)]*\)/g, '');
  for (const l of state.info?.levers ?? []) out = out.replaceAll(l.id, l.label.toLowerCase());
  return out.replaceAll('surge_officers over all offices', 'the officers surged between offices').replace(/`/g, '');
}

function leverValue(l) {
  return l.id in state.moved ? state.moved[l.id] : l.value;
}

// A setting at the precision it holds (a penalty of 3.548 is not "4").
const exact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const showSetting = (v) => {
  if (typeof v === 'boolean' || v === 'true' || v === 'false') return v === true || v === 'true' ? 'on' : 'off';
  return exact.format(Number(v));
};
const changeValue = (v) => (v === 'true' ? true : v === 'false' ? false : Number(v));

/** The scenario's own schedule of a lever: "0, then 75 from 2025-01-26, then 120 from 2025-05-21". */
function schedule(l) {
  const parts = [showSetting(l.start)];
  for (const c of l.changes) parts.push(`then ${showSetting(changeValue(c.value))} from ${c.date}${c.until ? ` to ${c.until}` : ''}`);
  return parts.join(', ');
}

function scheduleText(l) {
  if (l.kind === 'jail_cooperation') {
    const n = l.changes.length;
    return n ? `1 = each office's share from state law; ${n} dated change(s) in the scenario` : "1 = each office's share from state law";
  }
  return `In the scenario: ${schedule(l)}.`;
}

/** What a held lever does, shown under it: "Held at 120 all year (scenario: ...)". */
function holdText(l, v) {
  const unit = l.kind === 'switch' ? '' : ` ${l.unit}`;
  const scen = l.kind === 'jail_cooperation' ? "scenario: 1, each office's share from state law" : `scenario: ${schedule(l)}`;
  return `Held at ${showSetting(v)}${unit} for the whole run (${scen}). Return it to ${showSetting(l.value)} to release the hold.`;
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
  const hold = document.createElement('p');
  hold.className = 'hold';
  hold.id = `${id}-hold`;
  hold.setAttribute('aria-live', 'polite');
  help.textContent = `${l.help.replace(/`/g, '')} ${scheduleText(l)}${l.runs_from ? ` This scenario runs from ${showSetting(l.runs_from[0])} ${l.unit} up: below that, ${plainReason(l.runs_from[1])}.` : ''}`;
  div.append(top);
  let show = () => {};
  // Holds `v` for the whole run; the scenario's own value releases the hold.
  const set = (v) => {
    if (v === l.value) delete state.moved[l.id];
    else state.moved[l.id] = v;
    show();
    changed();
  };
  const held = () => l.id in state.moved;
  const mark = () => {
    div.classList.toggle('moved', held());
    reset.hidden = !held();
    hold.textContent = held() ? holdText(l, state.moved[l.id]) : '';
  };
  if (l.kind === 'switch') {
    const row = document.createElement('label');
    row.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.checked = Boolean(leverValue(l));
    box.setAttribute('aria-describedby', `${help.id} ${hold.id}`);
    const state_ = document.createTextNode('');
    row.append(box, ' ', state_);
    show = () => {
      box.checked = Boolean(leverValue(l));
      // Says what the box holds: on when ticked, off when not.
      state_.textContent = box.checked ? 'on' : 'off';
      mark();
    };
    box.addEventListener('change', () => set(box.checked));
    reset.addEventListener('click', () => set(l.value));
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
      el.setAttribute('aria-describedby', `${help.id} ${hold.id}`);
    }
    // The slider spans the usual values; the exact box takes the parameter's whole
    // allowed range (the model's parameter registry). Where the scenario's own events
    // cannot run at the slider's low end, the slider starts where they can.
    num.min = l.allowed_min;
    num.max = l.allowed_max;
    if (l.runs_from) range.min = l.runs_from[0];
    const unit = document.createElement('span');
    unit.className = 'unit';
    unit.textContent = l.unit;
    show = () => {
      const v = leverValue(l);
      range.value = num.value = v;
      range.setAttribute('aria-valuetext', `${showSetting(v)} ${l.unit}${held() ? ', held for the whole run' : ", the scenario's schedule"}`);
      mark();
    };
    range.addEventListener('input', () => set(Number(range.value)));
    num.addEventListener('change', () => {
      const v = Number(num.value);
      if (num.value.trim() === '' || !Number.isFinite(v) || v < l.allowed_min || v > l.allowed_max) {
        showError(`${l.label}: ${num.value} is outside ${l.allowed_min} to ${l.allowed_max} ${l.unit}.`);
        markStale();
        return;
      }
      set(v);
    });
    reset.addEventListener('click', () => set(l.value));
    inputs.append(range, num, unit);
    div.append(inputs);
  }
  show();
  div.append(help, hold);
  return div;
}

// ---------------------------------------------------------------- the address

/**
 * What the reader sees, in the page's address (after #), so that a link or a reload
 * gives the same run: the scenario, the days, seed and replications, comparison, and
 * each lever held: #scenario=scenarios/quota-2026.toml&days=711&seed=20250120&reps=1&lever.quota.per_office_per_day=40
 */
// The address's format: written as v=1; an address without v is of the first format
// (the same keys), one of a later format than this page knows is refused plainly.
const ADDRESS_VERSION = 1;

function writeAddress(s) {
  const p = new URLSearchParams();
  p.set('v', String(ADDRESS_VERSION));
  p.set('scenario', state.scenario.file);
  p.set('days', String(s.days));
  p.set('seed', String(s.seed));
  p.set('reps', String(s.reps));
  if ($('compare').checked) p.set('compare', '1');
  const measure = $('map-output').value;
  if (measure !== $('map-output').options[0].value) p.set('map', measure);
  for (const [id, v] of Object.entries(state.moved)) p.set(`lever.${id}`, String(v));
  history.replaceState(null, '', `#${p.toString()}`);
}

/** Copies the page's address (which holds the run) for sharing. */
async function copyLink() {
  const note = $('copy-note');
  // No clipboard (an insecure origin, a denied or pending permission): show the link
  // to copy by hand, after at most a second.
  const wrote = navigator.clipboard ? navigator.clipboard.writeText(location.href).then(() => true, () => false) : Promise.resolve(false);
  const copied = await Promise.race([wrote, new Promise((ok) => setTimeout(() => ok(false), 1000))]);
  note.textContent = copied ? 'Link copied: it opens this run, with these levers.' : `Copy this link: ${location.href}`;
}

/** The settings of the page's address, if it has any. */
function readAddress() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (!p.has('scenario')) return null;
  const v = Number(p.get('v') ?? '1');
  if (!(v >= 1 && v <= ADDRESS_VERSION)) {
    throw new Error(`This link was made by a newer version of the page (address format ${p.get('v')}; this page reads format ${ADDRESS_VERSION}). Open it with the page that made it; the default is shown.`);
  }
  if (p.has('map') && [...$('map-output').options].some((o) => o.value === p.get('map'))) $('map-output').value = p.get('map');
  const levers = {};
  for (const [k, v] of p) {
    if (k.startsWith('lever.')) levers[k.slice(6)] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
  return { scenario: p.get('scenario'), days: p.get('days'), seed: p.get('seed'), reps: p.get('reps'), compare: p.get('compare') === '1', levers };
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

// A change runs at once (after the events of the same moment): while a run is under
// way, further changes wait for it and only the latest is run next, so a dragged
// slider never queues more than one run.
let timer = null;
function changed() {
  state.changedAt ??= performance.now();
  clearTimeout(timer);
  timer = setTimeout(run, 0);
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
    markStale();
    state.changedAt = null;
    return;
  }
  state.running = true;
  state.again = false;
  state.lastSettings = s;
  writeAddress(s);
  const changedAt = state.changedAt ?? performance.now();
  state.changedAt = null;
  // Counted, so a test can tell that a run it started has happened, however short.
  document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
  document.body.dataset.state = 'running';
  $('error').hidden = true;
  $('stale').hidden = true;
  const width = chartWidth();
  const compare = $('compare').checked;
  setStatus(0, `Simulating ${whole.format(s.days)} days${s.reps > 1 ? ` x ${s.reps} replications` : ''}${compare ? ', twice (to compare)' : ''}…`);
  try {
    const out = await call(
      'run',
      { text: state.scenario.toml, origin: state.scenario.file, settings: { seed: s.seed, days: s.days, levers: state.moved }, reps: s.reps, compare, width },
      (done, total) => setStatus(done / total),
    );
    if (state.again) return; // a newer request is waiting: do not draw this one
    state.text = out.text;
    state.last = out;
    state.drawnWidth = width;
    render(out);
    if (!$('split-table').hidden) $('split-text').textContent = 'The split below is of an earlier run; split again for this one.';
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
    if (e.message === 'stopped') {
      // Stopped by the reader: the results shown stay those of the last run that ended.
      if (state.last) markStale();
      setStatus(0, 'Stopped. The results shown are from the last run that finished; change a setting to run again.');
      document.body.dataset.state = state.last ? 'stale' : 'error';
      return;
    }
    // The engine's located message, after a plain sentence; the old results stay,
    // dimmed, marked as those of the last settings that ran.
    showError(`These settings cannot run with this scenario: ${plainReason(e.message.split('\n').pop().trim())}. (${e.message.split('\n')[0]})`);
    markStale();
    setStatus(0, 'The run failed.');
    if (!state.last) document.body.dataset.state = 'error';
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

/** The results on the page no longer match the inputs (an input is invalid). */
function markStale() {
  if (!state.last) return;
  $('stale').hidden = false;
  document.body.dataset.state = 'stale';
  setStatus(0, 'Not run: an input is invalid.');
}

/** The width the charts are drawn for: their column's, in CSS pixels. */
function chartWidth() {
  return Math.round($('results').clientWidth || 860);
}

/**
 * A note about what the page did with the reader's request (an address it could not
 * follow in full, levers a scenario lacks): it stays while runs come and go, until the
 * reader chooses a scenario.
 */
function notice(message) {
  const n = $('notice');
  n.textContent = message;
  n.hidden = !message;
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
  headline(summary);
  resultBar(summary);
  const odd = oddities(summary);
  $('oddities').hidden = odd.length === 0;
  $('oddities').replaceChildren(...odd.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  // What the run covers, and from when it predicts rather than fits (one run's; a
  // comparison's two runs share their dates).
  // Every result is the model's, for these dates.
  const reps = summary.replications ?? 1;
  const what = `Modelled results for ${runPeriod(summary)} (${whole.format(summary.days)} days${reps > 1 ? `, the mean of ${reps} replications` : ', one replication'}).`;
  $('window').textContent = out.compare ? `${what} Each number compares the scenario as shipped with your levers.` : `${what} ${r.window}`;
  renderCards(summary, out.compare ? r.a : null, out.compare ? r.differences : null);
  renderValues(summary, out.compare ? r.a : null);
  drawMap(summary);
  renderCharts($('charts'), r.figures);
  renderObserved(out.compare ? null : r.observed);
}

/**
 * Under the headline, what was published for the same dates: the latest figure of each
 * headline kind beside the model's figure for its window ("arrests a day, 2026-01-01 ..
 * 2026-01-31: 1,180 published, 1,316 in the model").
 */
function headlineObserved(observed) {
  const p = $('headline-observed');
  const kinds = [
    ['arrests_per_day', 'arrests a day', 'whole'],
    ['share_other', 'share with neither conviction nor charge', 'pct'],
    ['detained', 'detained', 'whole'],
    ['removals_per_day', 'ICE removals a day', 'whole'],
  ];
  const latest = observed?.latest ?? [];
  const bits = kinds.flatMap(([metric, what, kind]) => {
    const sc = latest.find((l) => l.metric === metric);
    if (!sc) return [];
    const n = Number(sc.observed);
    const shown = Number.isFinite(n) ? fmt(kind, n) : sc.observed.replace(/\d{4,}/g, (d) => whole.format(Number(d)));
    return [`${what}, ${sc.window.replace(' .. ', ' to ')}: ${shown} published, ${fmt(kind, sc.model_mean)} in the model`];
  });
  p.hidden = bits.length === 0;
  p.textContent = bits.length ? `What was published for dates inside this run (the latest of each): ${bits.join('; ')}.` : '';
}

/** What happened beside the model: the backtest's charts and its one-line score. */
function renderObserved(observed) {
  headlineObserved(observed);
  const box = $('observed-box');
  box.hidden = !observed;
  if (!observed) return;
  $('observed-score').textContent = `Set beside the published figures whose dates lie within this run (${observed.file}, each with its source): ${observed.verdict}`;
  renderCharts($('observed-charts'), observed.figures, 'observed-');
  box.dataset.show = String($('observed-show').checked);
}

function renderCards(s, base, differences) {
  // B - A paired by replication, computed by the model (quotasim compare's numbers).
  const paired = new Map((differences || []).map((d) => [d.key, d]));
  const dl = $('summary');
  dl.replaceChildren();
  const card = (key, label, kind, isKey) => {
    const div = document.createElement('div');
    div.className = isKey ? 'card key' : 'card';
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.dataset.key = key;
    dd.dataset.value = JSON.stringify(s[key]);
    dd.textContent = fmt(kind, s[key], key);
    if (`${key}_p05` in s && s[`${key}_p05`] !== null) {
      const range = document.createElement('span');
      range.className = 'range';
      range.textContent = `5-95 %: ${fmt(kind, s[`${key}_p05`])} to ${fmt(kind, s[`${key}_p95`])}`;
      dd.append(range);
    }
    const line = context(key, s);
    if (line) {
      const c = document.createElement('span');
      c.className = 'context';
      c.textContent = line;
      dd.append(c);
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
    div.append(dt, dd);
    dl.append(div);
  };
  for (const key of KEY_CARDS) if (key in s) card(...cardInfo(key), true);
  for (const key of CARDS) if (key in s) card(...cardInfo(key), false);
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

/** An office's figures in one sentence, for a click or tap on the map. */
function officeFigures(s, code) {
  const name = state.map.offices[code]?.name ?? code;
  const bits = Object.entries(SHADINGS).map(([key, sh]) => {
    const v = s[key]?.[code];
    return `${Number.isFinite(v) ? sh.fmt(v) : 'no value'} ${sh.label}`;
  });
  const arrests = s.arrests_by_office?.[code];
  if (Number.isFinite(arrests)) bits.push(`${whole.format(arrests)} arrests over the run`);
  return `${name} (${code}): ${bits.join('; ')}.`;
}

function drawMap(summary) {
  if (!state.map || !summary) return;
  const key = $('map-output').value;
  renderMap($('map'), state.map, summary[key] ?? {}, key, (code) => {
    state.pickedOffice = code;
    $('map-pick').textContent = officeFigures(summary, code);
  });
  // The office picked before stays picked, with this run's figures.
  if (state.pickedOffice) $('map').querySelector(`path.office[data-office="${state.pickedOffice}"]`)?.dispatchEvent(new Event('click'));
  notDrawn($('map-not-drawn'), state.map);
  mapTable($('map-table'), summary, state.info.offices);
}

function renderCharts(box, figures, prefix = '') {
  box.replaceChildren();
  for (const f of figures) {
    const fig = document.createElement('figure');
    fig.id = `chart-${prefix}${f.id}`;
    const h = document.createElement('h3');
    h.textContent = f.title;
    const holder = document.createElement('div');
    // The SVG comes from the engine's report code (quotasim-report); it carries
    // role="img" and its text alternative, and its data as CSV in <metadata>.
    holder.innerHTML = f.svg;
    const cap = document.createElement('figcaption');
    cap.innerHTML = f.caption;
    fig.append(h, holder, cap, chartTools(holder.querySelector('svg'), `${prefix}${f.id}`, prefix === 'observed-'));
    box.append(fig);
  }
}

/**
 * Under a chart: where it comes from (the scenario, its run and the quotasim version;
 * the published figures' file where they are drawn), and downloads of the chart (SVG,
 * PNG at twice its size) and of its data (CSV, units in the header).
 */
function chartTools(svg, id, observed) {
  const div = document.createElement('div');
  div.className = 'chart-tools';
  const s = state.last?.compare ? state.last.result.b : state.last?.result.summary;
  const source = document.createElement('p');
  source.className = 'source';
  const run = s ? `quotasim ${s.quotasim_version}, scenario ${s.scenario} (${whole.format(s.days)} days from ${state.info?.start_date ?? ''}, seed ${s.seed}${s.replications > 1 ? `, ${s.replications} replications` : ''}), modelled` : 'quotasim';
  source.textContent = `Source: ${run}${observed ? `; published figures: ${state.last?.result.observed?.file ?? 'scenarios/observed-2025.toml'}, each with its source there` : ''}.`;
  div.append(source);
  if (!svg) return div;
  const name = `${s?.scenario ?? 'quotasim'}-${id}`;
  const button = (label, title, action) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small';
    b.textContent = label;
    b.title = title;
    b.addEventListener('click', action);
    div.append(b);
  };
  const xml = () => new XMLSerializer().serializeToString(svg);
  button('SVG', 'Download the chart as SVG', () => save(new Blob([xml()], { type: 'image/svg+xml' }), `${name}.svg`));
  button('PNG', 'Download the chart as PNG (twice its size)', async () => {
    const box = svg.viewBox.baseVal;
    const [w, h] = box && box.width ? [box.width, box.height] : [svg.clientWidth, svg.clientHeight];
    const url = URL.createObjectURL(new Blob([xml()], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      await new Promise((ok, fail) => { img.onload = ok; img.onerror = fail; img.src = url; });
      const canvas = document.createElement('canvas');
      canvas.width = 2 * w;
      canvas.height = 2 * h;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      const png = await new Promise((ok) => canvas.toBlob(ok, 'image/png'));
      if (png) save(png, `${name}.png`);
    } finally {
      URL.revokeObjectURL(url);
    }
  });
  const data = svg.querySelector('metadata[data-format="text/csv"]');
  if (data) button('Data (CSV)', 'Download the chart\'s data as CSV', () => save(new Blob([data.textContent], { type: 'text/csv' }), `${name}.csv`));
  return div;
}

// ---------------------------------------------------------------- what would it take

// The levers a solve may move, with default bounds (the reader edits them).
const SOLVE_LEVERS = [
  { path: 'capacity.agencies.ero.agents', label: 'ERO officers', lo: 6000, hi: 30000, on: true },
  { path: 'detention.capacity', label: 'Detention capacity (people ICE can hold)', lo: 70000, hi: 200000, on: true },
  { path: 'removal.flights_per_day', label: 'Removal flights a day', lo: 6, hi: 40, on: false },
  { path: 'court.decisions_per_day', label: 'Court decisions a day', lo: 2500, hi: 10000, on: false },
];

function buildSolve() {
  const box = $('solve-levers');
  box.replaceChildren();
  for (const l of SOLVE_LEVERS) {
    const id = `solve-${l.path.replaceAll('.', '-')}`;
    const row = document.createElement('div');
    row.className = 'solve-lever';
    row.innerHTML = `<label class="check"><input type="checkbox" id="${id}"> <span></span></label>
      <label>from <input type="number" id="${id}-lo" step="any"></label>
      <label>to <input type="number" id="${id}-hi" step="any"></label>`;
    row.querySelector('span').textContent = l.label;
    row.querySelector(`#${id}`).checked = l.on;
    row.querySelector(`#${id}-lo`).value = l.lo;
    row.querySelector(`#${id}-hi`).value = l.hi;
    box.append(row);
  }
}

async function solve(event) {
  event.preventDefault();
  if (state.solving || !state.text) return;
  const text = $('solve-text');
  const bar = $('solve-progress');
  const levers = [];
  try {
    for (const l of SOLVE_LEVERS) {
      const id = `solve-${l.path.replaceAll('.', '-')}`;
      if (!$(id).checked) continue;
      const lo = Number($(`${id}-lo`).value);
      const hi = Number($(`${id}-hi`).value);
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo >= hi) throw new Error(`${l.label}: give a lower bound below the upper one.`);
      levers.push(`${l.path}=${lo}..${hi}`);
    }
    if (!levers.length) throw new Error('Tick at least one lever the search may move.');
    const value = Number($('solve-value').value);
    if ($('solve-value').value.trim() === '' || !Number.isFinite(value)) throw new Error('The target needs a number.');
    const key = $('solve-key').value;
    state.solving = true;
    document.body.classList.add('busy');
    $('solve-run').disabled = true;
    bar.hidden = false;
    bar.value = 0;
    text.textContent = 'Searching…';
    const started = performance.now();
    const sol = await call('solve', { text: state.text, origin: state.scenario.file, target: `${key}>=${value}`, levers }, (done, most) => {
      bar.value = done / most;
      text.textContent = `Searching: ${done} settings run (at most ${most})…`;
    });
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const label = (path) => SOLVE_LEVERS.find((l) => l.path === path)?.label ?? path;
    if (sol.feasible) {
      const b = sol.best;
      const setting = sol.levers.map((l, i) => `${label(l.path)} ${whole.format(b.values[i])}`).join(', ');
      text.textContent = `Met at ${setting}: ${fmt('whole', b.metric)} (target ${fmt('whole', value)}), for ${money(b.cost_per_year)} a year. ${sol.evaluations} settings run in ${secs} s.`;
    } else {
      const top = sol.path.find((p) => p.stage === 'upper bounds');
      const binding = sol.binding_at_upper_bounds
        ? ` What binds there: ${label(sol.binding_at_upper_bounds)}.`
        : ' None of these levers binds there (a cut changes nothing): what holds it back lies elsewhere.';
      text.textContent = `Out of reach within these bounds: at the upper bounds the run gives ${top ? fmt('whole', top.metric) : 'less'} against ${fmt('whole', value)}.${binding} ${sol.evaluations} settings run in ${secs} s.`;
    }
  } catch (e) {
    text.textContent = e.message;
  } finally {
    state.solving = false;
    document.body.classList.remove('busy');
    $('solve-run').disabled = false;
    bar.hidden = true;
  }
}

// ---------------------------------------------------------------- scenario choice

/** Chooses a scenario; `preset` (from the page's address) sets its run settings and held levers. */
async function chooseScenario(file, preset = null) {
  state.scenario = state.scenarios.find((s) => s.file === file);
  $('scenario-file').textContent = `File ${state.scenario.file} (name ${state.scenario.name}).`;
  state.info = await call('describe', { text: state.scenario.toml, origin: state.scenario.file });
  state.moved = {};
  $('days').value = preset?.days ?? state.info.days;
  $('seed').value = preset?.seed ?? state.info.seed;
  if (preset?.reps) $('reps').value = preset.reps;
  if (preset?.compare !== undefined) $('compare').checked = preset.compare;
  if (preset) {
    // Levers held (by the address, or before another scenario was chosen); one this
    // scenario does not have is said, not silently dropped.
    const known = new Set(state.info.levers.map((l) => l.id));
    const unknown = Object.keys(preset.levers).filter((id) => !known.has(id));
    for (const [id, v] of Object.entries(preset.levers)) if (known.has(id)) state.moved[id] = v;
    const where = preset.from === 'switch' ? 'You held levers that this scenario does not have' : 'The address holds levers this scenario does not have';
    if (unknown.length) notice(`${where}: ${unknown.join(', ')}. They are left out.`);
  }
  buildControls();
  changed();
}

/** Saves `blob` as a file called `name` (the browser's download). */
function save(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function download() {
  if (!state.text) return;
  save(new Blob([state.text], { type: 'application/toml' }), `${state.info.name}-dashboard.toml`);
}

// ---------------------------------------------------------------- attribution

/**
 * An attribution (the shipped default's, precomputed, or the page's live split) as a
 * table of each group's contribution to each metric's change, and a note on the quota's
 * share of the rise in arrests of people with no record.
 */
function renderAttribution(a, { table, note, whose, window }) {
  const label = (key) => state.info?.keys.find((k) => k.key === key)?.label ?? key;
  const share = (key) => key.startsWith('share_');
  const show = (key, v) => (share(key) ? `${v >= 0 ? '+' : '−'}${two.format(Math.abs(v) * 100)} points` : `${v >= 0 ? '+' : '−'}${whole.format(Math.abs(v))}`);
  const level = (key, v) => (share(key) ? pct.format(v) : whole.format(v));
  table.replaceChildren();
  const caption = document.createElement('caption');
  caption.textContent = `Each group's contribution to the change from the counterfactual (the system of 2025-01-19 continued) to ${whose}, ${window}: the mean over replications, with its share of the change.`;
  table.append(caption);
  const head = table.insertRow();
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = 'group of events';
  head.append(corner);
  for (const m of a.metrics) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = `${label(m.metric)} (${level(m.metric, m.counterfactual)} → ${level(m.metric, m.scenario)})`;
    head.append(th);
  }
  a.groups.forEach((g, i) => {
    const row = table.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = g.label;
    row.append(th);
    for (const m of a.metrics) {
      const [c] = m.contributions[i];
      const [share] = m.shares[i];
      const part = Number.isFinite(share) ? ` (${pct0.format(share)})` : '';
      row.insertCell().textContent = `${show(m.metric, c)}${part}`;
    }
  });
  const other = a.metrics.find((m) => m.metric === 'arrests_other_per_day');
  const quota = a.groups.findIndex((g) => g.name === 'quota');
  if (other && quota >= 0) {
    const [c, lo, hi] = other.contributions[quota];
    // The share of the change, with its own band over replications where it has one.
    const [share, slo, shi] = other.shares[quota];
    const band = Number.isFinite(slo) && Number.isFinite(shi) && shi - slo >= 0.005 ? `, 5-95 % of the change: ${pct0.format(slo)} to ${pct0.format(shi)}` : '';
    const part = Number.isFinite(share) ? `${pct.format(share)} (${two.format(c)} a day, 5-95 %: ${two.format(lo)} to ${two.format(hi)}${band})` : `${two.format(c)} a day`;
    note.textContent =
      `Of the change in arrests of people with neither conviction nor charge in ${whose} (${whole.format(other.counterfactual)} a day without the 2025-26 events, ${whole.format(other.scenario)} with them), the model attributes ${part} to the quota and its pressure, and the rest to the other causes. Computed by ${a.command}: exact Shapley values over every subset of the groups, run with the same seeds (docs/attribution.md). Modelled, not measured.`;
  }
}

/** The shipped default's attribution, precomputed. */
function renderDefaultAttribution() {
  renderAttribution(ATTRIBUTION, {
    table: $('attribution-table'),
    note: $('attribution-note'),
    whose: 'the shipped scenario (not the levers above)',
    window: '2025-01-20 to 2026-12-31',
  });
}

/** The page's own run split between the quota and everything else, in the engine. */
async function runSplit() {
  if (!state.text || state.splitting) return;
  const bar = $('split-progress');
  const text = $('split-text');
  const s = settings();
  const reps = Math.min(s.reps, 4);
  state.splitting = true;
  document.body.classList.add('busy');
  $('split-run').disabled = true;
  bar.hidden = false;
  bar.value = 0;
  text.textContent = `Running the four subsets${reps > 1 ? ` x ${reps} replications` : ''}…`;
  const started = performance.now();
  try {
    const a = await call('split', { text: state.text, origin: state.scenario.file, reps }, (done, total) => {
      bar.value = done / total;
      text.textContent = `Running: ${done} of ${total} runs…`;
    });
    const from = state.info?.start_date ?? '';
    renderAttribution(a, {
      table: $('split-table'),
      note: $('split-note'),
      whose: 'this page\'s run (its scenario, levers and days)',
      window: `${whole.format(s.days)} days from ${from}`,
    });
    $('split-table').hidden = false;
    $('split-note').hidden = false;
    text.textContent = `Split in ${((performance.now() - started) / 1000).toFixed(1)} s (${reps} replication${reps > 1 ? 's' : ''}, at most 4). Move a lever and split again: the table stays until then.`;
  } catch (e) {
    text.textContent = e.message;
  } finally {
    state.splitting = false;
    document.body.classList.remove('busy');
    $('split-run').disabled = false;
    bar.hidden = true;
  }
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
    for (const s of list) sel.add(new Option(s.title, s.file));
    // The levers held stay held in the scenario chosen (its own days and seed).
    sel.addEventListener('change', () => {
      notice('');
      chooseScenario(sel.value, { levers: { ...state.moved }, from: 'switch' });
    });
    for (const id of ['days', 'seed', 'reps']) $(id).addEventListener('change', changed);
    $('compare').addEventListener('change', changed);
    $('download').addEventListener('click', download);
    $('map-csv').addEventListener('click', () => {
      const s = state.last?.compare ? state.last.result.b : state.last?.result.summary;
      if (s) save(new Blob([mapCsv(s, state.info.offices)], { type: 'text/csv' }), `${s.scenario}-offices.csv`);
    });
    $('stop').addEventListener('click', stopEngine);
    $('split-run').addEventListener('click', runSplit);
    $('reset').addEventListener('click', () => chooseScenario(sel.value));
    $('map-output').addEventListener('change', () => {
      drawMap(state.last && (state.last.compare ? state.last.result.b : state.last.result.summary));
      if (state.lastSettings) writeAddress(state.lastSettings);
    });
    $('copy-link').addEventListener('click', copyLink);
    $('observed-show').addEventListener('change', () => {
      $('observed-box').dataset.show = String($('observed-show').checked);
    });
    buildSolve();
    $('solve-form').addEventListener('submit', solve);
    // The result bar shows (on a phone) once the headline has scrolled out of view.
    new IntersectionObserver(([e]) => document.body.classList.toggle('headline-away', !e.isIntersecting && e.boundingClientRect.top < 0)).observe($('headline'));
    // Charts are drawn for their column's width: draw again when it changes a lot.
    new ResizeObserver(() => {
      const w = chartWidth();
      if (state.drawnWidth && Math.abs(w - state.drawnWidth) > 0.15 * state.drawnWidth) changed();
    }).observe($('results'));
    // The address's settings (a shared link, a reload), else the default.
    let preset = null;
    try {
      preset = readAddress();
    } catch (e) {
      notice(e.message);
    }
    const known = preset && list.some((s) => s.file === preset.scenario);
    if (preset && !known) notice(`The address names a scenario this page does not ship: ${preset.scenario}. The default is shown.`);
    const file = known ? preset.scenario : list[0].file;
    sel.value = file;
    await chooseScenario(file, known ? preset : null);
    // Its labels are the summary keys' (the scenario's info).
    renderDefaultAttribution();
  } catch (e) {
    showError(e.message);
    document.body.dataset.state = 'error';
  }
}

start();
