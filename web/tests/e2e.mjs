// End-to-end test of the dashboard in real headless Chromium.
//
//   QUOTASIM_BIN=target/debug/quotasim node web/tests/e2e.mjs
//
// Starts `quotasim dashboard --port 0`, loads the page, lets it run the national
// default, checks every summary value on the page against `quotasim run` on the
// scenario the page offers for download, lowers the per-office quota with the
// keyboard, checks the numbers move the expected way and again equal the command's,
// turns on the comparison, and saves screenshots (laptop and phone widths) in
// web/tests/output/. Prints the time from the slider change to the updated charts.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.QUOTASIM_BIN ?? 'target/debug/quotasim');
const out = join(here, 'output');
mkdirSync(out, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'quotasim-e2e-'));

function step(message) {
  console.log(`e2e: ${message}`);
}

/** Starts the dashboard server; resolves with its address and the process. */
function startServer() {
  const server = spawn(bin, ['dashboard', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveUrl, reject) => {
    let text = '';
    server.stdout.on('data', (d) => {
      text += d;
      const m = /quotasim dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (m) resolveUrl({ url: m[1], server });
    });
    server.on('exit', (code) => reject(new Error(`quotasim dashboard exited with ${code} before printing its address`)));
  });
}

/** Every summary value the page shows, keyed, as JSON text. */
async function pageValues(page) {
  return page.$$eval('#values-table td[data-key]', (cells) => Object.fromEntries(cells.map((c) => [c.dataset.key, c.dataset.value])));
}

async function waitReady(page) {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 300_000 });
}

/**
 * Runs axe-core (web/node_modules, pinned in package.json) on the page as it stands:
 * no serious or critical violation may remain.
 */
async function axeCheck(page, label) {
  await page.addScriptTag({ path: join(here, '..', 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} element(s), e.g. ${v.nodes[0]?.target}`), [], `${label}: axe-core`);
  step(`${label}: axe-core finds ${result.violations.length} violation(s), none serious or critical`);
}

/** How many runs the page has started (`data-runs`). */
async function runCount(page) {
  return Number((await page.getAttribute('body', 'data-runs')) ?? 0);
}

/**
 * Waits until a run after the page's `n`th has started and ended. Counted, not watched:
 * a short run's "running" state can pass between two polls.
 */
async function settle(page, n) {
  await page.waitForFunction((k) => Number(document.body.dataset.runs ?? 0) > k, n, { timeout: 60_000 });
  await waitReady(page);
}

/** Does `action` and waits until a run it started has ended. */
async function runsAfter(page, action) {
  const n = await runCount(page);
  await action();
  await settle(page, n);
}

/**
 * No legend box of a chart overlaps a plotted mark: every vertex of a series' line or
 * band, and every bar, lies outside the box (in the SVG's own units). The box is the
 * legend's outline (plotters draws it as an unfilled rect at opacity 0.3, after the
 * marks); axes and ticks (black, 1 wide) and the grey line marking where the fit ends
 * are not marks.
 */
async function legendsClear(page, label) {
  const found = await page.$$eval('#charts figure svg, #observed-charts figure svg', (svgs) => svgs.map((svg) => {
    const els = [...svg.querySelectorAll('rect, polyline, polygon, circle')];
    const at = els.findIndex((e) => e.tagName === 'rect' && e.getAttribute('fill') === 'none' && e.getAttribute('opacity') === '0.3');
    const id = svg.closest('figure').id;
    if (at < 0) return { id, legend: false, bad: [] };
    const n = (e, a) => Number(e.getAttribute(a));
    const L = { x0: n(els[at], 'x'), y0: n(els[at], 'y'), x1: n(els[at], 'x') + n(els[at], 'width'), y1: n(els[at], 'y') + n(els[at], 'height') };
    const inside = (x, y) => x > L.x0 && x < L.x1 && y > L.y0 && y < L.y1;
    const bad = [];
    // The first rect is the background; the one before the outline is the legend's fill.
    for (const e of els.slice(1, at - 1)) {
      const stroke = e.getAttribute('stroke');
      if (stroke === '#000000' && e.getAttribute('stroke-width') === '1') continue;
      if (stroke === '#5A5A5A') continue;
      if (e.tagName === 'rect') {
        const [x0, y0] = [n(e, 'x'), n(e, 'y')];
        const [x1, y1] = [x0 + n(e, 'width'), y0 + n(e, 'height')];
        if (x0 < L.x1 && x1 > L.x0 && y0 < L.y1 && y1 > L.y0) bad.push(`bar at ${x0},${y0}`);
      } else if (e.tagName === 'circle') {
        if (inside(n(e, 'cx'), n(e, 'cy'))) bad.push(`point at ${n(e, 'cx')},${n(e, 'cy')}`);
      } else {
        const pts = (e.getAttribute('points') ?? '').trim().split(/\s+/).map((p) => p.split(',').map(Number));
        const hit = pts.find(([x, y]) => inside(x, y));
        if (hit) bad.push(`${e.tagName} ${stroke ?? e.getAttribute('fill')} at ${hit}`);
      }
    }
    return { id, legend: true, bad };
  }));
  const withLegend = found.filter((f) => f.legend);
  assert.ok(withLegend.length >= 4, `${label}: charts with a legend are found (${withLegend.length})`);
  assert.deepEqual(found.filter((f) => f.bad.length).map((f) => `${f.id}: ${f.bad.slice(0, 3).join('; ')}`), [], `${label}: no legend box overlaps a plotted mark`);
  step(`${label}: the legends of ${withLegend.length} charts overlap no plotted mark`);
}

/** Downloads the page's scenario, runs it with the command, compares every value. */
async function sameAsCommand(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = join(scratch, `${name}.toml`);
  await download.saveAs(file);
  const runDir = join(scratch, `${name}-run`);
  execFileSync(bin, ['run', file, '--quiet', '--out', runDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const cli = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
  const shown = await pageValues(page);
  assert.deepEqual(Object.keys(shown).sort(), Object.keys(cli).sort(), 'the page shows every summary key');
  for (const [k, v] of Object.entries(cli)) {
    assert.equal(shown[k], JSON.stringify(v), `${name}: ${k} on the page equals summary.json of quotasim run`);
  }
  step(`${name}: all ${Object.keys(cli).length} summary values equal those of quotasim run on the downloaded scenario`);
  return Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, JSON.parse(v)]));
}

const { url, server } = await startServer();
step(`server at ${url}`);
const context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  const encodings = new Map();
  page.on('response', (r) => encodings.set(new URL(r.url()).pathname, r.headers()['content-encoding'] ?? 'identity'));
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request outside the server: ${r.url()}`);
  });

  await page.goto(url);
  await waitReady(page);
  // Scenarios go by plain titles; the file is said beside the list.
  const titles = await page.$$eval('#scenario option', (os) => os.map((o) => o.textContent));
  assert.equal(titles[0], '2025-26 as it happened (the default; fitted to January 2026)');
  assert.ok(titles.every((t) => !/scenarios\/|\.toml/.test(t)), `titles, not file names: ${titles.join(' | ')}`);
  assert.equal(await page.textContent('#scenario-file'), 'File scenarios/quota-2026.toml (name quota-2026).');
  const first = await sameAsCommand(page, 'default');
  assert.equal(first.scenario, 'quota-2026');
  assert.equal(first.days, 711);
  // The results say what they cover and where the fit ends; the precomputed
  // attribution of the shipped default is shown beside them.
  assert.match(await page.textContent('#window'), /^Modelled results for 2025-01-20 to 2026-12-31 \(711 days, one replication\)\. .*fitted to outcomes through 2026-01-31; 2026-02-01 \.\. 2026-12-31 \(334 days\) is a prediction/);
  // One arrests figure in the headline, with its period; the card's gives its own.
  assert.match(await page.textContent('#headline'), /^[\d,]+ arrests a day from 2025-05-21, \d+% of the 3,000 target in force since then;/);
  assert.match(await page.textContent('#summary dd[data-key="arrests_per_day_mean"] .context'), /^over the whole run, 2025-01-20 to 2026-12-31; [\d,]+ a day from 2025-05-21/);
  // The money left says when it runs out, as a date.
  assert.match(await page.textContent('#summary dd[data-key="budget_detention_left_end"] .context'), /^(runs out on \d{4}-\d{2}-\d{2} at this pace|no run-out in sight at this pace)/);
  // What was published for dates inside the run sits under the headline.
  assert.match(await page.textContent('#headline-observed'), /arrests a day, 2026-01-01 to 2026-01-31: [\d,]+ published, [\d,]+ in the model/);
  assert.match(await page.textContent('#attribution-note'), /to the quota and its pressure/);
  assert.equal(await page.locator('#attribution-table tr').count(), 9, 'a header and eight groups');
  step(`default: ${first.arrests_per_day_mean.toFixed(1)} arrests a day, ${(100 * first.share_other).toFixed(1)} % with no record`);

  // The live split of the page's own run (the quota against everything else) gives
  // what `quotasim attribute` gives for the downloaded scenario and that grouping.
  await page.click('#split-run');
  await page.waitForSelector('#split-table:not([hidden])', { timeout: 120_000 });
  assert.equal(await page.locator('#split-table tr').count(), 3, 'a header and two groups');
  const splitNote = await page.textContent('#split-note');
  const shownQuota = splitNote.match(/attributes [^(]*\(([-−\d.,]+) a day/);
  assert.ok(shownQuota, splitNote);
  const splitDir = join(scratch, 'split');
  execFileSync(bin, ['attribute', join(scratch, 'default.toml'), '--groups', join(root, 'scenarios', 'groups-quota-vs-rest.toml'),
    '--reps', await page.inputValue('#reps'), '--metrics', 'arrests_other_per_day', '--quiet', '--out', splitDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const csvLines = readFileSync(join(splitDir, 'attribution.csv'), 'utf8').trim().split('\n');
  const header = csvLines[0].split(',');
  const quotaRow = csvLines.find((l) => l.split(',')[header.indexOf('group')] === 'quota').split(',');
  const fromCommand = Number(quotaRow[header.indexOf('contribution')]);
  const two = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  assert.equal(shownQuota[1].replace('−', '-'), two.format(fromCommand), 'the page\'s split equals quotasim attribute\'s');
  step(`live split: the quota ${two.format(fromCommand)} a day of the change in arrests with no record, as quotasim attribute gives`);

  // The engine travelled gzipped.
  assert.equal(encodings.get('/quotasim_wasm_bg.wasm'), 'gzip', 'the WebAssembly is served gzipped');

  // Each chart says where it comes from and gives its data: the CSV parses, with units
  // in its header, and holds the arrests chart's series.
  assert.match(await page.textContent('#chart-arrests .source'), /^Source: quotasim [\d.]+, scenario quota-2026 \(711 days from 2025-01-20, seed \d+\), modelled\.$/);
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#chart-arrests button:has-text("Data (CSV)")')]);
  const csvFile = join(scratch, 'arrests.csv');
  await csvDownload.saveAs(csvFile);
  const csvRows = readFileSync(csvFile, 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.match(csvRows[0].join(','), /^series,date,value \(.+\),p05 \(.+\),p95 \(.+\)$/);
  assert.ok(csvRows.length > 711, `${csvRows.length} rows of data`);
  assert.ok(csvRows.slice(1).every((r) => r.length === 5 && /^\d{4}-\d{2}-\d{2}$/.test(r[1]) && Number.isFinite(Number(r[2]))), 'every row a series, a date and a number');
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#chart-arrests button:has-text("PNG")')]);
  const pngFile = join(scratch, 'arrests.png');
  await pngDownload.saveAs(pngFile);
  assert.equal(readFileSync(pngFile).subarray(1, 4).toString(), 'PNG', 'a PNG image');
  step(`chart downloads: ${csvRows.length - 1} rows of CSV data and a PNG of the arrests chart`);
  await axeCheck(page, 'laptop');
  await page.click('.map-box details summary');
  const [mapDownload] = await Promise.all([page.waitForEvent('download'), page.click('#map-csv')]);
  const mapFile = join(scratch, 'offices.csv');
  await mapDownload.saveAs(mapFile);
  const mapRows = readFileSync(mapFile, 'utf8').trim().split('\n');
  assert.equal(mapRows.length, 26, 'a header and 25 offices');
  assert.match(mapRows[0], /^office,name,arrests_per_10k_noncitizens_by_office \(.+\),.*arrests_by_office \(arrests over the run\)$/);
  await page.click('.map-box details summary');

  // The charts and the map are drawn, with their text alternatives.
  // Seven of the model, one of the money left (the default has the acts' money).
  assert.equal(await page.locator('#charts figure svg[role="img"][aria-label]').count(), 8);
  assert.equal(await page.locator('#map path.office').count(), 25);
  assert.equal(await page.locator('#map-table tbody tr').count(), 25);
  assert.equal(await page.locator('#map [tabindex]').count(), 0, 'no silent tab stops inside the map image');
  assert.equal(await page.locator('#map text.code').count(), 25, 'every office code is on the map');
  assert.match(await page.textContent('#map-not-drawn'), /Puerto Rico.*Guam/, 'the territories are listed');

  // The headline: every number in it is the summary's.
  const marks = await page.$$eval('#headline span[data-key]', (spans) => spans.map((x) => [x.dataset.key, x.dataset.value, x.textContent]));
  assert.ok(marks.length >= 6, `the headline carries its numbers (${marks.length})`);
  for (const [key, value, text] of marks) {
    const v = JSON.parse(value);
    assert.equal(v, first[key], `headline ${key} is the summary's value`);
    const of = /^(\d+) of (\d+)$/.exec(text); // "24 of 25" offices
    const shown = of ? Number(of[1]) / Number(of[2]) : Number(text.replace(/[,%]/g, ''));
    const m = /%$/.test(text) ? shown / 100 : shown;
    assert.ok(Math.abs(m - v) <= Math.max(0.005 * Math.abs(v), /%$/.test(text) ? 0.005 : 0.5), `headline ${key}: "${text}" reads ${v}`);
  }
  step(`headline: ${await page.textContent('#headline')}`);

  // What happened, beside the model: the 2025 observations, their score, a toggle.
  assert.ok(await page.isVisible('#observed-box'), 'the observations are shown for a 2025 scenario');
  assert.equal(await page.locator('#observed-charts figure svg[role="img"]').count(), 4);
  // In a reader's words: no sd, no z.
  assert.match(await page.textContent('#observed-score'), /Of the \d+ published figures, the model's mean lies within the figure's stated uncertainty for \d+/);
  assert.match(await page.textContent('#observed-score'), /were the model right, it would lie within the stated uncertainty for about \d+ of the \d+/);
  assert.doesNotMatch(await page.textContent('#observed-score'), /\bz\b|\bsd\b/);
  await page.uncheck('#observed-show');
  assert.ok(!(await page.isVisible('#observed-charts')), 'the toggle hides the observations');
  await page.check('#observed-show');

  await legendsClear(page, 'laptop');

  // The map's legend lies inside its image.
  const inside = await page.evaluate(() => {
    const svg = document.querySelector('#map svg').getBoundingClientRect();
    const g = document.querySelector('#map .legend').getBoundingClientRect();
    return g.left >= svg.left && g.right <= svg.right && g.top >= svg.top && g.bottom <= svg.bottom;
  });
  assert.ok(inside, 'the map legend lies within its SVG box');

  // Every row of the heat map is labelled, and it has a colour key.
  const heat = await page.$$eval('#chart-attainment svg text', (ts) => ts.map((t) => t.textContent.trim()));
  for (const o of Object.keys(first.quota_attainment_by_office)) assert.ok(heat.includes(o), `heat-map row ${o} is labelled`);
  assert.ok(heat.includes('no quota'), 'the heat map keys "no quota" apart');

  // On a laptop the levers scroll in a panel of their own beside the results: scrolled
  // to the last lever, the headline is still in view.
  const [inView, placed] = await page.evaluate(() => {
    const controls = document.querySelector('#controls');
    window.scrollTo(0, 0);
    window.scrollTo(0, controls.getBoundingClientRect().top);
    controls.scrollTop = controls.scrollHeight;
    const r = document.querySelector('#headline').getBoundingClientRect();
    const last = document.querySelector('#lever-removal-capacity_per_day').getBoundingClientRect();
    const ok = r.top >= 0 && r.bottom <= window.innerHeight && last.top >= 0 && last.bottom <= window.innerHeight;
    return [ok, `headline ${r.top.toFixed(0)}-${r.bottom.toFixed(0)}, last lever ${last.top.toFixed(0)}-${last.bottom.toFixed(0)}, window ${window.innerHeight}`];
  });
  assert.ok(inView, `the headline stays in view beside the last lever (${placed})`);
  step(`laptop: ${placed}`);
  await page.evaluate(() => {
    document.querySelector('#controls').scrollTop = 0;
    window.scrollTo(0, 0);
  });

  // Lower the per-office quota from 120 to 40 a day with the keyboard (16 steps of 5).
  const slider = page.locator('#lever-quota-per_office_per_day');
  assert.equal(await slider.inputValue(), '120');
  await slider.focus();
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowLeft');
  assert.equal(await slider.inputValue(), '40');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  const quotaLever = page.locator('.lever[data-lever="quota.per_office_per_day"]');
  assert.match(await quotaLever.locator('.hold').textContent(), /^Held at 40 arrests\/office\/day for the whole run \(scenario: 0, then 75 from 2025-01-26, then 120 from 2025-05-21\)/);
  assert.match(await slider.getAttribute('aria-valuetext'), /^40 arrests\/office\/day, held/);
  const ms = Number(await page.getAttribute('#status', 'data-ms'));
  const engineMs = Number(await page.getAttribute('#status', 'data-engine-ms'));
  const lower = await sameAsCommand(page, 'quota-40');
  step(`slider to updated charts: ${(ms / 1000).toFixed(2)} s (the model in WebAssembly: ${(engineMs / 1000).toFixed(2)} s)`);
  step(`quota 40: ${lower.arrests_per_day_mean.toFixed(1)} arrests a day, ${(100 * lower.share_other).toFixed(1)} % with no record, ${(100 * lower.offices_missing_quota_share).toFixed(0)} % of offices short`);
  // A lower quota: less pressure on the managers, so fewer arrests, and fewer offices
  // short of their (lower) quota, each meeting more of it. (The share with no record
  // is not monotone in the quota here: docs/sweeps.md.)
  assert.ok(lower.arrests_per_day_mean < first.arrests_per_day_mean, 'a lower quota gives fewer arrests');
  assert.ok(lower.offices_missing_quota_share < first.offices_missing_quota_share, 'fewer offices miss a lower quota');
  for (const [code, v] of Object.entries(first.quota_attainment_by_office)) {
    assert.ok(lower.quota_attainment_by_office[code] > v, `${code} meets more of a lower quota`);
  }
  const shownArrests = await page.getAttribute('#summary dd[data-key="arrests_per_day_mean"]', 'data-value');
  assert.equal(JSON.parse(shownArrests), lower.arrests_per_day_mean, 'the headline card shows the new value');
  // The address holds what the reader set: a reload, or the link shared, runs the same.
  assert.match(page.url(), /#v=1&scenario=scenarios%2Fquota-2026\.toml&days=711&.*lever\.quota\.per_office_per_day=40/);
  await page.reload();
  await waitReady(page);
  assert.match(await quotaLever.locator('.hold').textContent(), /^Held at 40 arrests\/office\/day/);
  const reloaded = JSON.parse(await page.getAttribute('#summary dd[data-key="arrests_per_day_mean"]', 'data-value'));
  assert.equal(reloaded, lower.arrests_per_day_mean, 'a reload runs what the address holds');
  step('the address holds the lever: a reload gives the same run');
  // The address is versioned and holds the map's measure; Copy link gives it.
  assert.match(page.url(), /#v=1&scenario=/);
  await page.selectOption('#map-output', 'share_other_by_office');
  assert.match(page.url(), /&map=share_other_by_office/);
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('copy-note').textContent !== '', null, { timeout: 5_000 });
  assert.match(await page.textContent('#copy-note'), /^(Link copied|Copy this link: http)/);
  const laterLink = page.url().replace('#v=1&', '#v=9&');
  await page.selectOption('#map-output', 'arrests_per_10k_noncitizens_by_office');
  // Choosing another scenario keeps the levers held; choosing this one again gives the same run.
  // (A scenario is described before it runs: each lever's low end is checked, a few
  // seconds on a busy machine.)
  await runsAfter(page, () => page.selectOption('#scenario', 'scenarios/quota-2025-fitted.toml'));
  assert.match(await quotaLever.locator('.hold').textContent(), /^Held at 40 arrests\/office\/day/, 'held across a change of scenario');
  assert.equal(await page.inputValue('#days'), '377');
  await runsAfter(page, () => page.selectOption('#scenario', 'scenarios/quota-2026.toml'));
  const back = JSON.parse(await page.getAttribute('#summary dd[data-key="arrests_per_day_mean"]', 'data-value'));
  assert.equal(back, lower.arrests_per_day_mean, 'back on the default with the lever held: the same run');
  // A slider's track spans only values that run: Home on ERO officers runs (the
  // scenario's surges need at least twice their officers), and the help says from
  // where. A value below, typed in the exact box, is refused in plain words, and the
  // results are dimmed as those of the last settings that ran.
  const ero = page.locator('.lever[data-lever="capacity.agencies.ero.agents"]');
  assert.match(await ero.locator('.schedule').textContent(), /This scenario runs from [\d,]+ \S+ up: below that, /);
  const eroRange = ero.locator('input[type="range"]');
  await eroRange.focus();
  await page.keyboard.press('Home');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  assert.ok(!(await page.isVisible('#error')), 'Home on ERO officers runs');
  const eroMin = await eroRange.inputValue();
  await ero.locator('input[type="number"]').fill('1000');
  await ero.locator('input[type="number"]').press('Enter');
  await page.waitForSelector('body[data-state="stale"]', { timeout: 60_000 });
  assert.match(await page.textContent('#error'), /^These settings cannot run with this scenario: /);
  assert.ok(await page.isVisible('#stale'), 'the old results are marked as the last that ran');
  await ero.locator('.reset-one').click();
  await waitReady(page);
  step(`ERO officers: the slider starts at ${eroMin}, where the scenario runs; 1,000 is refused in plain words and the results dim`);
  // Every slider's Home and End run without error, each lever released after.
  const sliders = await page.$$eval('#levers .lever', (ls) => ls.filter((l) => l.querySelector('input[type="range"]')).map((l) => l.dataset.lever));
  for (const id of sliders) {
    const lever = page.locator(`.lever[data-lever="${id}"]`);
    const range = lever.locator('input[type="range"]');
    for (const key of ['Home', 'End']) {
      const before = await range.inputValue();
      const runs = await runCount(page);
      await range.focus();
      await page.keyboard.press(key);
      if ((await range.inputValue()) !== before) await settle(page, runs);
      assert.ok(!(await page.isVisible('#error')), `${key} on ${id} runs (${await page.textContent('#error')})`);
      assert.ok(!(await page.isVisible('#stale')), `${key} on ${id}: the results are current`);
    }
    if (await lever.locator('.reset-one').isVisible()) {
      await runsAfter(page, () => lever.locator('.reset-one').click());
    }
  }
  step(`every slider's Home and End run (${sliders.length} sliders)`);
  // The quota lever, released by the loop, held at 40 again (as before it).
  await runsAfter(page, async () => {
    await quotaLever.locator('input[type="number"]').fill('40');
    await quotaLever.locator('input[type="number"]').press('Enter');
  });
  assert.match(await quotaLever.locator('.hold').textContent(), /^Held at 40 arrests\/office\/day/);
  // A long run can be stopped: the engine is restarted and the last results stay, dimmed.
  const shownBefore = await page.getAttribute('#summary dd[data-key="arrests_per_day_mean"]', 'data-value');
  await page.fill('#reps', '20');
  await page.press('#reps', 'Tab');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  assert.ok(await page.isVisible('#stop'), 'Stop is offered while the engine runs');
  await page.click('#stop');
  await page.waitForSelector('body[data-state="stale"]', { timeout: 10_000 });
  assert.match(await page.textContent('#status-text'), /^Stopped\./);
  assert.equal(await page.getAttribute('#summary dd[data-key="arrests_per_day_mean"]', 'data-value'), shownBefore, 'the last results stay');
  await page.fill('#reps', '1');
  await page.press('#reps', 'Tab');
  await waitReady(page);
  step('Stop ends a 20-replication run at once; the engine restarts and the next run goes');
  await page.screenshot({ path: join(out, 'dashboard.png'), fullPage: true });

  // Compare with the scenario as shipped: both runs, the differences on the cards.
  await page.check('#compare');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  const base = await page.textContent('#summary dd[data-key="arrests_per_day_mean"] .base');
  assert.match(base, /shipped: [\d,]+; change −/, 'the comparison shows the shipped value and a fall');
  assert.equal(await page.locator('#charts figure').count(), 4, 'the four overlay charts of quotasim compare');
  await page.screenshot({ path: join(out, 'dashboard-compare.png'), fullPage: false });
  await page.uncheck('#compare');
  await waitReady(page);

  // Returning the lever to the scenario's value releases the hold: the first run again.
  await slider.focus();
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  assert.equal(await quotaLever.locator('.hold').textContent(), '', 'back at 120: no hold');
  assert.ok(!(await quotaLever.evaluate((d) => d.classList.contains('moved'))));
  const again = JSON.parse(await page.getAttribute('#summary dd[data-key="arrests_per_day_mean"]', 'data-value'));
  assert.equal(again, first.arrests_per_day_mean, "released, the lever follows the scenario's schedule again");

  // Invalid input marks the results stale; a valid one runs again.
  await page.fill('#days', '0');
  await page.dispatchEvent('#days', 'change');
  await page.waitForSelector('body[data-state="stale"]', { timeout: 10_000 });
  assert.ok(await page.isVisible('#stale'), 'stale results are marked');
  assert.match(await page.textContent('#error'), /Days: 0 is not a whole number from 1 to 3650/);
  await page.fill('#days', '377');
  await page.dispatchEvent('#days', 'change');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  assert.ok(!(await page.isVisible('#stale')));

  // What would it take: a small solve in the worker, with its progress. A target out
  // of reach on one lever takes three runs (the two corners and a cut).
  await page.uncheck('#solve-capacity-agencies-ero-agents');
  await page.uncheck('#solve-detention-capacity');
  await page.check('#solve-removal-flights_per_day');
  await page.fill('#solve-value', '5000000');
  await page.click('#solve-run');
  await page.waitForFunction(() => /settings run in/.test(document.querySelector('#solve-text').textContent), null, { timeout: 120_000 });
  assert.match(await page.textContent('#solve-text'), /^Out of reach within these bounds: at the upper bounds the run gives [\d,]+ against 5,000,000\. None of these levers binds there .*\. 3 settings run/);

  // A phone's width: one column, nothing wider than the screen, the headline in the
  // first screen, and the charts drawn again for the narrow column.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page fits a phone's width (overflows by ${overflow} px)`);
  const slider390 = await page.locator('#lever-quota-per_office_per_day').boundingBox();
  const column = await page.locator('#controls').boundingBox();
  assert.ok(slider390.width >= 0.8 * column.width, `sliders are full width on a phone (${slider390.width.toFixed(0)} of ${column.width.toFixed(0)} px)`);
  const box = await page.locator('#headline').boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `the headline lies in the first 844 px (${JSON.stringify(box)})`);
  const sizes = await page.$$eval('#charts svg text, #observed-charts svg text', (ts) =>
    ts.map((t) => {
      const svg = t.ownerSVGElement;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return [Number(t.getAttribute('font-size')) * scale, t.textContent, svg.closest('figure')?.id];
    }));
  const [smallest, what, where] = sizes.reduce((a, b) => (b[0] < a[0] ? b : a));
  assert.ok(smallest >= 11, `chart text is at least 11 CSS px on a phone (${smallest.toFixed(1)}: "${what}" in ${where})`);
  step(`phone: headline at y ${box.y.toFixed(0)}-${(box.y + box.height).toFixed(0)} px; smallest chart text ${smallest.toFixed(1)} px`);
  await legendsClear(page, 'phone');
  // The phone map: codes at 11 CSS px at least and none over another; the whole legend
  // inside the image; a tap on an office says its figures.
  const codes = await page.$$eval('#map text.code', (ts) => ts.map((t) => {
    const r = t.getBoundingClientRect();
    return { code: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * (t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.viewBox.baseVal.width), r: [r.left, r.top, r.right, r.bottom] };
  }));
  const tiny = codes.filter((c) => c.size < 11 - 0.05);
  assert.deepEqual(tiny.map((c) => `${c.code} ${c.size.toFixed(1)} px`), [], 'office codes are at least 11 px on a phone');
  const clash = [];
  for (let i = 0; i < codes.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [codes[i].r, codes[j].r];
      if (Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 0 && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 0) clash.push(`${codes[i].code}/${codes[j].code}`);
    }
  }
  assert.deepEqual(clash, [], 'no office code lies over another on a phone');
  const legendIn = await page.evaluate(() => {
    const svg = document.querySelector('#map svg').getBoundingClientRect();
    return [...document.querySelectorAll('#map .legend text')].every((t) => {
      const r = t.getBoundingClientRect();
      return r.left >= svg.left && r.right <= svg.right + 0.5 && r.bottom <= svg.bottom + 0.5;
    });
  });
  assert.ok(legendIn, 'every word of the map legend lies inside the image on a phone');
  assert.equal(await page.textContent('#map .legend text:last-of-type'), 'no value');
  await page.locator('#map').scrollIntoViewIfNeeded();
  const target = await page.evaluate(() => {
    const t = document.querySelector('#map text.code[data-office="DAL"]').getBoundingClientRect();
    const x = t.left + t.width / 2;
    const y = t.bottom + 4;
    return { x, y, office: document.elementFromPoint(x, y)?.dataset.office };
  });
  await page.mouse.click(target.x, target.y);
  assert.match(await page.textContent('#map-pick'), new RegExp(`\\(${target.office}\\): [\\d.,]+ arrests per 10,000 noncitizens; [\\d.,]+% quota attainment; [\\d.,]+% share with no record; [\\d,]+ arrests over the run\\.$`));
  step(`phone map: ${codes.length} codes, the smallest ${Math.min(...codes.map((c) => c.size)).toFixed(1)} px, none overlapping; a tap says: ${await page.textContent('#map-pick')}`);
  // The compact result bar: hidden while the headline is in view, in view at the top
  // while a lever deep in the form moves, with the run's figures.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  assert.ok(!(await page.isVisible('#bar')), 'no bar while the headline shows');
  await page.locator('#lever-removal-capacity_per_day').scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  const barBox = await page.locator('#bar').boundingBox();
  assert.ok(barBox && barBox.y >= -0.5 && barBox.y < 2, `the result bar sits at the top of the screen (${JSON.stringify(barBox)})`);
  assert.match(await page.textContent('#bar'), /^[\d,]+ arrests a day( \(target [\d,]+\))?[\d,]+ detained[\d,]+ removals a year$/);
  await axeCheck(page, 'phone');
  await page.screenshot({ path: join(out, 'dashboard-phone.png'), fullPage: true });

  // A link made by a later page says so plainly and opens the default. (Opened in this
  // page, as the links below: a second tab in front pauses this one's drawing.)
  await page.goto('about:blank');
  await page.goto(laterLink);
  await waitReady(page);
  assert.ok(await page.isVisible('#notice'), 'the note stays after the default has run');
  assert.match(await page.textContent('#notice'), /newer version of the page \(address format 9; this page reads format 1\)/);
  await page.goto('about:blank');
  await page.goto(url);
  await waitReady(page);

  // A shared link reproduces the run: two levers moved, the address opened afresh, every
  // value of the results the same (byte for byte, as JSON).
  for (const [id, value] of [['quota.per_office_per_day', '60'], ['removal.flights_per_day', '12']]) {
    const box = page.locator(`.lever[data-lever="${id}"] input[type="number"]`);
    await runsAfter(page, async () => {
      await box.fill(value);
      await box.press('Enter');
    });
  }
  const shared = page.url();
  assert.match(shared, /lever\.quota\.per_office_per_day=60/);
  assert.match(shared, /lever\.removal\.flights_per_day=12/);
  const before = await pageValues(page);
  await page.goto('about:blank');
  await page.goto(shared);
  await waitReady(page);
  assert.deepEqual(await pageValues(page), before, 'the link gives the same results, every value');
  step(`a link with two levers moved gives the same ${Object.keys(before).length} values when opened afresh`);
  await page.goto('about:blank');
  await page.goto(url);
  await waitReady(page);

  // A result that looks impossible is explained, and the headline names the limit
  // that binds detention: 10,000 funded beds, no flights, no land removals. (Opened
  // last, in this page: a second tab in front would pause this one's drawing.)
  assert.ok(!(await page.isVisible('#oddities')), 'nothing to explain in the default');
  await page.goto('about:blank');
  await page.goto(`${url}#v=1&scenario=scenarios%2Fquota-2026.toml&lever.detention.beds=10000&lever.removal.flights_per_day=0&lever.removal.capacity_per_day=0`);
  await waitReady(page);
  assert.match(await page.textContent('#headline'), /[\d,]+ detained, full at the [\d,]+ ICE can hold \(the limit; 10,000 beds funded\)/);
  const why = await page.$$eval('#oddities li', (li) => li.map((l) => l.textContent));
  assert.equal(why.length, 2, why.join(' | '));
  assert.match(why[0], /^More people are detained \([\d,]+\) than beds are funded \(10,000\): ICE holds people above its funded beds up to what it can physically hold/);
  assert.match(why[1], /^Removals go on \([\d,]+ over the run\) with no removal flights and no removals by land or commercial flight: removals to third countries/);
  step('an impossible-looking result is explained; the headline names the binding limit');

  assert.deepEqual(problems, [], 'no script errors and nothing fetched from elsewhere');
  step(`screenshots in ${out}`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await context.close();
  server.kill('SIGINT');
  rmSync(scratch, { recursive: true, force: true });
}
if (failed) process.exit(1);
step('passed');
