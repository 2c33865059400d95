// The examples/ folder as npm consumers use it: the Vite app is built with Vite (segmetry linked to this
// checkout, as `npm install` would install the published package; no Vite setting for segmetry) and both example pages are opened in
// Chromium under the strict CSP; each must render the embedded report with no request leaving the origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, artifacts, repo } from './harness.mjs';

let env;
before(async () => {
  env = await openBrowser({ dashboard: false });
});
after(async () => env?.close());

/** The package as the app's dependency: a symlink to this checkout (offline, instant). */
function linkPackage(app) {
  const modules = join(app, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const link = join(modules, 'segmetry');
  if (
    !existsSync(link) &&
    !(() => {
      try {
        return lstatSync(link).isSymbolicLink();
      } catch {
        return false;
      }
    })()
  ) {
    symlinkSync('../../..', link, 'dir');
  }
}

test('examples/vite-app builds with Vite and renders the report under the CSP', async () => {
  const app = join(repo, 'examples/vite-app');
  linkPackage(app);
  // Its other dependencies (vite, @observablehq/plot, apache-arrow) resolve from the repo's node_modules.
  execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', app, '--logLevel', 'error'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  assert.ok(existsSync(join(app, 'dist/index.html')));
  const page = await env.newPage();
  await page.goto(`${env.origin}/examples/vite-app/`);
  await page.waitForSelector('#report[data-state="ready"]', { timeout: 60_000 });
  assert.ok(await page.$('#report section[data-segment="Repeat"] tr[data-variant="1"] td[data-field="lift"]'));
  await page.waitForSelector('#report figure[data-chart="forest"] svg');
  // The host's theme reaches the component through CSS variables.
  const accent = await page.$eval('#report .segmetry-report', (el) =>
    getComputedStyle(el).getPropertyValue('--segmetry-accent').trim(),
  );
  assert.equal(accent, '#2f9e44');
  await page.screenshot({ path: join(artifacts, 'example-vite-app.png'), fullPage: true });
});

test('examples/plain-html imports the served dist/ and renders <segmetry-report>', async () => {
  const page = await env.newPage();
  await page.goto(`${env.origin}/examples/plain-html/`);
  await page.waitForSelector('segmetry-report[data-state="ready"]', { timeout: 60_000 });
  const rows = await page.$$eval(
    'segmetry-report',
    ([el]) => [...el.shadowRoot.querySelectorAll('tr[data-variant]')].length,
  );
  assert.equal(rows, 6, 'All customers, Finland and Sweden × (control, treatment)');
  await page.screenshot({ path: join(artifacts, 'example-plain-html.png'), fullPage: true });
});

test('the examples sent no request off the page origin and logged no error', () => {
  assert.deepEqual(env.foreignRequests(), []);
  assert.deepEqual(env.consoleErrors, []);
});
