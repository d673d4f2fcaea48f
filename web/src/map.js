// The map of the 25 field offices, shaded by one of the run's by-office outputs.
// Shapes come from offices-map.json (built from us-atlas and data/office_areas.csv by
// web/build/build.mjs), already projected, so drawing is setting SVG paths.

const NS = 'http://www.w3.org/2000/svg';
const LOW = [239, 243, 255];
const HIGH = [8, 69, 148];

const fmtOf = (key) => {
  const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
  const num = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  return key.startsWith('arrests_per_10k') ? (v) => num.format(v) : (v) => pct.format(v);
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

/** Draws the map in `box`: each office shaded by `values[code]` (missing: grey). */
export function renderMap(box, map, values, key, label) {
  const fmt = fmtOf(key);
  const known = Object.values(values).filter((v) => Number.isFinite(v));
  const lo = known.length ? Math.min(...known) : 0;
  const hi = known.length ? Math.max(...known) : 1;
  const t = (v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const ranked = Object.entries(values).filter(([, v]) => Number.isFinite(v)).sort((a, b) => b[1] - a[1]);
  const name = (code) => map.offices[code]?.name ?? code;
  const alt = ranked.length
    ? `Map of the 25 ICE field offices shaded by ${label}: highest ${name(ranked[0][0])} (${fmt(ranked[0][1])}), lowest ${name(ranked.at(-1)[0])} (${fmt(ranked.at(-1)[1])}). The table below the map lists every office.`
    : `Map of the 25 ICE field offices; no values of ${label} in this run.`;
  const svg = el('svg', { viewBox: `0 0 ${map.width} ${map.height + 40}`, role: 'img', 'aria-label': alt });
  svg.append(el('title', {}, alt));
  for (const [code, o] of Object.entries(map.offices)) {
    const v = values[code];
    const p = el('path', {
      d: o.d,
      class: 'office',
      fill: Number.isFinite(v) ? shade(t(v)) : '#ccc',
      tabindex: '0',
      'data-office': code,
      'aria-label': `${o.name}: ${Number.isFinite(v) ? fmt(v) : 'no value'}`,
    });
    p.append(el('title', {}, `${o.name} (${code}): ${Number.isFinite(v) ? fmt(v) : 'no value'} ${label}`));
    svg.append(p);
  }
  svg.append(el('path', { d: map.states, class: 'states' }), el('path', { d: map.nation, class: 'nation' }));
  // Legend: a gradient from the lowest to the highest office.
  const g = el('g', { class: 'legend', transform: `translate(${map.width - 330}, ${map.height + 4})` });
  const defs = el('defs');
  const grad = el('linearGradient', { id: 'map-gradient' });
  grad.append(el('stop', { offset: '0', 'stop-color': shade(0) }), el('stop', { offset: '1', 'stop-color': shade(1) }));
  defs.append(grad);
  g.append(
    defs,
    el('rect', { x: 0, y: 0, width: 200, height: 12, fill: 'url(#map-gradient)', stroke: '#999' }),
    el('text', { x: 0, y: 28 }, fmt(lo)),
    el('text', { x: 200, y: 28, 'text-anchor': 'end' }, fmt(hi)),
    el('text', { x: 210, y: 11 }, label),
  );
  svg.append(g);
  box.replaceChildren(svg);
}

/** The map's table alternative: every office with the three mapped outputs. */
export function mapTable(table, summary, offices) {
  const cols = [
    ['arrests_per_10k_noncitizens_by_office', 'arrests per 10,000 noncitizens'],
    ['quota_attainment_by_office', 'quota attainment'],
    ['share_other_by_office', 'share with no record'],
    ['arrests_by_office', 'arrests'],
  ];
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of ['office', ...cols.map((c) => c[1])]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const o of offices) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${o.name} (${o.code})`;
    row.append(th);
    for (const [key] of cols) {
      const v = summary[key]?.[o.code];
      const fmt = key === 'arrests_by_office' ? (x) => Math.round(x).toLocaleString('en-US') : fmtOf(key);
      row.insertCell().textContent = Number.isFinite(v) ? fmt(v) : '-';
    }
  }
}
