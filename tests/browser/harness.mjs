// Shared set-up for browser tests: the project's own server on 127.0.0.1 (random port) and Debian's chromium
// driven by playwright-core (never a downloaded browser). Records every request so tests can prove that
// nothing leaves the page's origin. `ensureDashboard()` (re)builds dist-dashboard/ with Vite when its sources
// are newer than the build.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const artifacts = join(repo, 'test-results');

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--disable-quic',
];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** Build the dashboard unless dist-dashboard/ is newer than www/, js/report/ and dist/. */
export function ensureDashboard() {
  const built = join(repo, 'dist-dashboard/index.html');
  const sources = Math.max(newest(join(repo, 'www')), newest(join(repo, 'js/report')), newest(join(repo, 'dist')));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    execFileSync('bash', [join(repo, 'scripts/build-dashboard.sh')], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

export async function openBrowser({ dashboard = true } = {}) {
  if (dashboard) ensureDashboard();
  mkdirSync(artifacts, { recursive: true });
  const server = await startServer(0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
  const requests = [];
  const consoleErrors = [];
  const watch = (page) => {
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    return page;
  };
  const newPage = async (options = {}) => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
      ...options,
    });
    context.on('request', (request) => requests.push(request.url()));
    return watch(await context.newPage());
  };
  /** Requests (including workers') whose URL is not on the page's own origin; blob:/data: stay local. */
  const foreignRequests = () => requests.filter((url) => !url.startsWith(origin) && !/^(blob|data):/.test(url));
  const close = async () => {
    await browser.close();
    await new Promise((done) => server.close(done));
  };
  return { origin, browser, newPage, requests, foreignRequests, consoleErrors, close };
}

/** Drop a file on an element the way a person drags one from the desktop (DataTransfer + drop event). */
export async function dropFile(page, selector, { name, bytes, type = '' }) {
  const base64 = Buffer.from(bytes).toString('base64');
  await page.evaluate(
    ({ selector, name, base64, type }) => {
      const raw = atob(base64);
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type }));
      const target = document.querySelector(selector);
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { selector, name, base64, type },
  );
}

/** Drop several files at once on an element (one DataTransfer holding them all). */
export async function dropFiles(page, selector, files) {
  const payload = files.map(({ name, bytes, type = '' }) => ({
    name,
    type,
    base64: Buffer.from(bytes).toString('base64'),
  }));
  await page.evaluate(
    ({ selector, payload }) => {
      const transfer = new DataTransfer();
      for (const { name, type, base64 } of payload) {
        const raw = atob(base64);
        const data = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
        transfer.items.add(new File([data], name, { type }));
      }
      const target = document.querySelector(selector);
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { selector, payload },
  );
}
