// The map of the 25 field offices, shaded by one of the run's by-office outputs.
// Shapes come from offices-map.json (built from us-atlas and data/office_areas.csv by
// web/build/build.mjs), already projected, so drawing is setting SVG paths.
//
// Each shading has a fixed scale, the same in every run and in compare mode, so that
// colours can be compared across runs. The map is one image with a text alternative;
// its shapes are not focusable. The table below it holds every value, and sorts.

const NS = 'http://www.w3.org/2000/svg';
const LOW = [239, 243, 255];
const HIGH = [8, 69, 148];

const pct1 = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** The outputs the map shades by and the table lists: label, fixed scale, format. */
export const SHADINGS = {
  arrests_per_10k_noncitizens_by_office: { label: 'arrests per 10,000 noncitizens', max: 300, fmt: (v) => one.format(v), tick: (v) => whole.format(v) },
  quota_attainment_by_office: { label: 'quota attainment', max: 1, fmt: (v) => pct1.format(v), tick: (v) => `${whole.format(v * 100)} %` },
  share_other_by_office: { label: 'share with no record', max: 1, fmt: (v) => pct1.format(v), tick: (v) => `${whole.format(v * 100)} %` },
};

/** The colour of `t` in 0..1 between the light and the dark end. */
function shade(t) {
  const c = LOW.map((lo, i) => Math.round(lo + (HIGH[i] - lo) * t));
  return `rgb(${c.join(',')})`;
}

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Moves office codes apart where their boxes overlap (on a phone the codes are large
 * beside the offices): each pass pushes the lower of an overlapping pair down, or the
 * upper up, by the overlap; a code moved farther than half its height from its place
 * gets a thin line back to it. Deterministic: offices in code order.
 */
function spreadCodes(codes) {
  const items = [...codes.querySelectorAll('text.code')].map((t) => {
    // A little room each side, so that neighbours do not read as one word.
    const b = t.getBBox();
    const pad = b.height * 0.3;
    return { t, x: b.x - pad, y: b.y, w: b.width + 2 * pad, h: b.height, y0: b.y };
  });
  const gap = 1;
  for (let pass = 0; pass < 12; pass++) {
    let moved = false;
    for (let i = 0; i < items.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = items[j];
        const b = items[i];
        const overlapX = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const overlapY = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (overlapX <= 0 || overlapY <= 0) continue;
        // Half each way, the lower one down.
        const d = (overlapY + gap) / 2;
        const [up, down] = a.y + a.h / 2 <= b.y + b.h / 2 ? [a, b] : [b, a];
        up.y -= d;
        down.y += d;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (const it of items) {
    const dy = it.y - it.y0;
    if (dy === 0) continue;
    const y = Number(it.t.getAttribute('y'));
    it.t.setAttribute('y', (y + dy).toFixed(1));
    if (Math.abs(dy) > it.h / 2) {
      const x = Number(it.t.getAttribute('x'));
      const end = dy > 0 ? y + dy - it.h / 2 : y + dy + it.h / 2;
      codes.prepend(el('line', { class: 'leader', x1: x.toFixed(1), y1: y.toFixed(1), x2: x.toFixed(1), y2: end.toFixed(1) }));
    }
  }
}

/**
 * Draws the map in `box`: each office shaded by `values[code]` (missing: grey). A click
 * or tap on an office calls `pick(code)` (the page says its figures) and outlines it.
 */
export function renderMap(box, map, values, key, pick = () => {}) {
  const s = SHADINGS[key];
  const t = (v) => Math.min(Math.max(v / s.max, 0), 1);
  const ranked = Object.entries(values).filter(([, v]) => Number.isFinite(v)).sort((a, b) => b[1] - a[1]);
  const name = (code) => map.offices[code]?.name ?? code;
  const alt = ranked.length
    ? `Map of the 25 ICE field offices shaded by ${s.label} on a fixed scale from 0 to ${s.tick(s.max)}: highest ${name(ranked[0][0])} (${s.fmt(ranked[0][1])}), lowest ${name(ranked.at(-1)[0])} (${s.fmt(ranked.at(-1)[1])}). The table below the map lists every office.`
    : `Map of the 25 ICE field offices; no values of ${s.label} in this run.`;
  // Text scaled to the drawn width: about 12 CSS px for the legend, 10 for the codes.
  const drawn = box.getBoundingClientRect().width || map.width;
  const k = Math.min(Math.max(map.width / drawn, 1), 2.5);
  // Two rows: the scale with its ends, then the swatch for offices with no value.
  const legendH = Math.ceil(74 * k);
  const svg = el('svg', { viewBox: `0 0 ${map.width} ${map.height + legendH}`, role: 'img', 'aria-label': alt });
  svg.append(el('title', {}, alt));
  for (const [code, o] of Object.entries(map.offices)) {
    const v = values[code];
    const p = el('path', { d: o.d, class: 'office', fill: Number.isFinite(v) ? shade(t(v)) : '#ccc', 'data-office': code });
    // A tooltip for the mouse, the figures below the map on a click or tap; the table
    // is the alternative for everyone else.
    p.append(el('title', {}, `${o.name} (${code}): ${Number.isFinite(v) ? s.fmt(v) : 'no value'} ${s.label}`));
    p.addEventListener('click', () => {
      svg.querySelectorAll('path.office.picked').forEach((q) => q.classList.remove('picked'));
      p.classList.add('picked');
      // Drawn last, so that its outline shows whole.
      p.parentNode.insertBefore(p, svg.querySelector('path.states'));
      pick(code);
    });
    svg.append(p);
  }
  svg.append(el('path', { d: map.states, class: 'states' }), el('path', { d: map.nation, class: 'nation' }));
  // Office codes, dark on light shades and light on dark ones.
  const codes = el('g', { class: 'codes', 'aria-hidden': 'true' });
  for (const [code, o] of Object.entries(map.offices)) {
    if (!o.label) continue;
    codes.append(el('text', { class: 'code', x: o.label[0].toFixed(1), y: o.label[1].toFixed(1), 'data-office': code }, code));
  }
  svg.append(codes);
  // The legend, inside the image below the map: the fixed scale with its ends.
  const width = 320;
  const g = el('g', { class: 'legend', transform: `translate(20, ${map.height + 4}) scale(${k.toFixed(3)})` });
  const defs = el('defs');
  const grad = el('linearGradient', { id: 'map-gradient' });
  grad.append(el('stop', { offset: '0', 'stop-color': shade(0) }), el('stop', { offset: '1', 'stop-color': shade(1) }));
  defs.append(grad);
  g.append(
    defs,
    el('text', { x: 0, y: 12 }, `${s.label} (fixed scale)`),
    el('rect', { x: 0, y: 18, width, height: 12, fill: 'url(#map-gradient)', stroke: '#999' }),
    el('text', { x: 0, y: 46 }, s.tick(0)),
    el('text', { x: width, y: 46, 'text-anchor': 'end' }, `${s.tick(s.max)} or more`),
    el('rect', { x: 0, y: 56, width: 12, height: 12, fill: '#ccc', stroke: '#999' }),
    el('text', { x: 18, y: 67 }, 'no value'),
  );
  svg.append(g);
  // Codes at 11 CSS px at least, whatever the width the map is drawn at.
  svg.style.setProperty('--code-size', `${(Math.ceil(Math.max((11 * map.width) / drawn, 11) * 10) / 10).toFixed(1)}px`);
  box.replaceChildren(svg);
  spreadCodes(codes);
}

/** The places of the office areas that have no outline to draw (listed, not drawn). */
export function notDrawn(p, map) {
  const list = map.not_drawn ?? [];
  p.textContent = list.length
    ? `Not drawn (no outline in the map's source): ${list.map((n) => `${n.place} (${map.offices[n.office]?.name ?? n.office} office)`).join(', ')}. Their arrests count in those offices' figures.`
    : '';
}

/** The map's table alternative: every office with the mapped outputs; sortable. */
/**
 * The map's table as CSV: one row per office, its code and name and the exact values
 * of every measure (the summary's), each column with its unit.
 */
export function mapCsv(summary, offices) {
  const keys = [...Object.keys(SHADINGS), 'arrests_by_office'];
  const units = {
    arrests_per_10k_noncitizens_by_office: 'arrests per 10,000 noncitizens',
    quota_attainment_by_office: 'share of the target met',
    share_other_by_office: 'share of arrests',
    arrests_by_office: 'arrests over the run',
  };
  const head = ['office', 'name', ...keys.map((k) => `${k} (${units[k].replaceAll(',', '')})`)];
  const rows = offices.map((o) => [o.code, `"${o.name.replaceAll('"', '""')}"`, ...keys.map((k) => summary[k]?.[o.code] ?? '')]);
  return [head, ...rows].map((r) => r.join(',')).join('\n') + '\n';
}

export function mapTable(table, summary, offices) {
  const cols = [
    ...Object.entries(SHADINGS).map(([key, s]) => [key, s.label, s.fmt]),
    ['arrests_by_office', 'arrests', (x) => whole.format(x)],
  ];
  const sort = table._sort ?? { col: -1, dir: 1 };
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  ['office', ...cols.map((c) => c[1])].forEach((h, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = h;
    th.append(b);
    const c = i - 1;
    if (c === sort.col) th.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending');
    b.addEventListener('click', () => {
      table._sort = { col: c, dir: c === sort.col ? -sort.dir : c < 0 ? 1 : -1 };
      mapTable(table, summary, offices);
      table.querySelectorAll('th button')[i].focus();
    });
    head.append(th);
  });
  const value = (o, c) => summary[cols[c][0]]?.[o.code];
  const rows = [...offices];
  if (sort.col < 0) {
    rows.sort((a, b) => sort.dir * a.name.localeCompare(b.name));
  } else {
    const key = (o) => (Number.isFinite(value(o, sort.col)) ? value(o, sort.col) : -Infinity);
    rows.sort((a, b) => sort.dir * (key(a) - key(b)));
  }
  const body = table.createTBody();
  for (const o of rows) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${o.name} (${o.code})`;
    row.append(th);
    cols.forEach(([, , fmt], c) => {
      const v = value(o, c);
      row.insertCell().textContent = Number.isFinite(v) ? fmt(v) : '-';
    });
  }
}
