// The dashboard's slider-to-charts time, median of 16 moves (a benchmark, not a test).
//
//   QUOTASIM_BIN=target/release/quotasim node web/tests/timing.mjs [WIDTH]
//
// Starts `quotasim dashboard --port 0`, loads the page in headless Chromium at WIDTH
// (default 1280) x 900, waits for the default run, then moves the per-office quota
// slider one step at a time, 16 times (down 8, up 8), waiting for each run to be drawn.
// The time of a move is the page's own: from the input event to two animation frames
// after the new charts are in the page (docs/dashboard.md). Prints the median, the range
// and the model's share.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const width = Number(process.argv[2] ?? 1280);
const bin = process.env.QUOTASIM_BIN ?? 'target/release/quotasim';
const server = spawn(bin, ['dashboard', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => {
    const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(d));
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`${bin} dashboard exited with ${code}`)));
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 300_000 });
  const slider = page.locator('#lever-quota-per_office_per_day');
  const ms = [];
  const engine = [];
  for (let i = 0; i < 16; i++) {
    await slider.focus();
    await page.keyboard.press(i < 8 ? 'ArrowLeft' : 'ArrowRight');
    await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
    await page.waitForSelector('body[data-state="ready"]', { timeout: 300_000 });
    ms.push(Number(await page.getAttribute('#status', 'data-ms')));
    engine.push(Number(await page.getAttribute('#status', 'data-engine-ms')));
  }
  const median = (v) => {
    const s = [...v].sort((a, b) => a - b);
    return (s[7] + s[8]) / 2;
  };
  const secs = (x) => (x / 1000).toFixed(2);
  console.log(
    `slider to charts at ${width} px, 16 moves: median ${secs(median(ms))} s (${secs(Math.min(...ms))}-${secs(Math.max(...ms))} s); the model in WebAssembly: median ${secs(median(engine))} s`,
  );
} finally {
  await browser.close();
  server.kill('SIGINT');
}
