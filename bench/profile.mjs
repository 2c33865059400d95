#!/usr/bin/env node
// Where segmetry's time goes in Chromium: runs ingest + analyze on the bench table in a page's main thread under
// the V8 sampling profiler (CDP) and prints self time per function. Use a build that keeps the wasm name section:
//   KEEP_NAMES=1 NO_OPT=1 bash bench/build-variant.sh prof && node bench/profile.mjs --dist bench/.variants/prof
//   [--rows 1000000] [--encoding dict|utf8] [--reps 5] [--top 30]
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../tests/browser/harness.mjs';
import { startBenchServer } from './server.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dist = arg('dist', 'bench/.variants/prof');
const rows = Number(arg('rows', 1_000_000));
const encoding = arg('encoding', 'dict');
const reps = Number(arg('reps', 5));
const top = Number(arg('top', 30));

const server = await startBenchServer(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: chromiumArgs,
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(e));
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/profile.html`);
  await page.waitForFunction(() => window.profileReady === true);
  const size = await page.evaluate((a) => window.prepare(a), { rows, encoding });
  await page.evaluate(() => window.runOnce()); // warm-up
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const times = [];
  for (let i = 0; i < reps; i++) times.push(await page.evaluate(() => window.runOnce()));
  const { profile } = await cdp.send('Profiler.stop');
  console.log(
    `${rows} rows ${encoding} (${(size / 1048576).toFixed(1)} MiB); [ingest, analyze] ms per rep:`,
    times.map((t) => t.map((x) => x.toFixed(1)).join('/')).join('  '),
  );
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, k) => {
    const n = byId.get(id);
    const name =
      `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? n.callFrame.url.split('/').pop() : ''}`.trim();
    self.set(name, (self.get(name) ?? 0) + (dt[k] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`self time over ${reps} reps (${total.toFixed(0)} ms sampled):`);
  for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${t.toFixed(1).padStart(9)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${name.slice(0, 150)}`);
  }
} finally {
  await browser.close();
  server.close();
}
