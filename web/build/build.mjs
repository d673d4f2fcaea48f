// Builds the dashboard's static folder, dist/ at the repository's root, from web/src,
// the WebAssembly module in web/pkg (made by scripts/build-web.sh) and the map data.
//
//   node web/build/build.mjs
//
// The map: every county of us-atlas (Census cartographic boundaries, pre-projected to
// Albers USA) is given to the field office whose area holds it, through
// data/office_areas.csv (a state whole, or named counties), and merged into one shape
// per office. The build fails, naming the row, if a row of that file matches nothing.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { merge, mesh } from 'topojson-client';
import { geoPath } from 'd3-geo';

const require = createRequire(import.meta.url);
const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(web, '..');
const dist = process.env.QUOTASIM_DIST ?? join(root, 'dist');

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

/** Rows of a CSV file whose fields are all quoted ("a", "b"); the header names them. */
function quotedCsv(path) {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const fields = (line) => [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  const names = fields(lines[0]);
  return lines.slice(1).map((line, i) => {
    const f = fields(line);
    if (f.length !== names.length) fail(`${path}:${i + 2}: ${f.length} fields, expected ${names.length}`);
    return { line: i + 2, ...Object.fromEntries(names.map((n, j) => [n, f[j]])) };
  });
}

/** Rows of a plain CSV file (no quoted commas). */
function plainCsv(path) {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, j) => [names[j], v])));
}

function buildMap() {
  const topo = require('us-atlas/counties-albers-10m.json');
  const areasFile = join(root, 'data', 'office_areas.csv');
  const areas = quotedCsv(areasFile);
  const offices = plainCsv(join(root, 'data', 'field_offices.csv'));
  // Office names are spelled with or without full stops ("St Paul", "St. Paul").
  const officeKey = (name) => name.replaceAll('.', '').toLowerCase();
  const codeOf = new Map(offices.map((o) => [officeKey(o.office), o.code]));
  const stateId = new Map(topo.objects.states.geometries.map((g) => [g.properties.name, g.id]));
  const norm = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const notDrawn = []; // places of an office's area with no outline: listed by the page
  const wholeState = new Map(); // state id -> office code
  const county = new Map(); // state id + normalized county name -> office code
  for (const a of areas) {
    const code = codeOf.get(officeKey(a.office_name));
    if (!code) fail(`${areasFile}:${a.line}: office "${a.office_name}" is not in data/field_offices.csv`);
    const sid = stateId.get(a.state_name);
    if (!sid) {
      console.warn(`note: ${areasFile}:${a.line}: "${a.state_name}" has no outline in us-atlas (not drawn)`);
      notDrawn.push({ place: a.state_name, office: code });
      continue;
    }
    if (a.county_name === '') wholeState.set(sid, code);
    else county.set(`${sid}/${norm(a.county_name)}`, { code, row: a });
  }
  const byOffice = new Map();
  const used = new Set();
  for (const g of topo.objects.counties.geometries) {
    const sid = g.id.slice(0, 2);
    const key = `${sid}/${norm(g.properties.name)}`;
    let code = county.get(key)?.code;
    if (code) used.add(key);
    else code = wholeState.get(sid);
    if (!code) continue;
    if (!byOffice.has(code)) byOffice.set(code, []);
    byOffice.get(code).push(g);
  }
  for (const [key, { row }] of county) {
    if (!used.has(key)) fail(`${areasFile}:${row.line}: county "${row.county_name}", ${row.state_name} matches no county of us-atlas`);
  }
  const path = geoPath(); // the file is already projected: no projection
  const shapes = {};
  for (const o of offices) {
    const geoms = byOffice.get(o.code);
    if (!geoms) fail(`office ${o.code} (${o.office}) has no area on the map`);
    const shape = merge(topo, geoms);
    // Where the office's code is written: the centre of its largest piece (Seattle's
    // area includes Alaska, Miami's the Florida Keys).
    const pieces = shape.type === 'MultiPolygon' ? shape.coordinates.map((c) => ({ type: 'Polygon', coordinates: c })) : [shape];
    const largest = pieces.reduce((a, b) => (path.area(b) > path.area(a) ? b : a));
    shapes[o.code] = { name: o.office, d: path(shape), label: path.centroid(largest).map((x) => Math.round(x * 10) / 10) };
  }
  return {
    source: 'us-atlas 3.0.1 (U.S. Census Bureau cartographic boundaries, 1:10,000,000, Albers USA); areas: data/office_areas.csv',
    width: 975,
    height: 610,
    offices: shapes,
    states: path(mesh(topo, topo.objects.states, (a, b) => a !== b)),
    nation: path(mesh(topo, topo.objects.nation)),
    not_drawn: notDrawn,
  };
}

const pkg = join(web, 'pkg');
if (!existsSync(join(pkg, 'quotasim_wasm_bg.wasm'))) {
  fail('web/pkg/quotasim_wasm_bg.wasm is missing: run scripts/build-web.sh, which builds it first');
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'offices-map.json'), JSON.stringify(buildMap()));
await esbuild.build({
  entryPoints: { app: join(web, 'src', 'app.js'), worker: join(web, 'src', 'worker.js') },
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: ['es2022'],
  outdir: dist,
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(join(web, 'src', f), join(dist, f));
copyFileSync(join(pkg, 'quotasim_wasm_bg.wasm'), join(dist, 'quotasim_wasm_bg.wasm'));
console.log(`dashboard built in ${dist}`);
