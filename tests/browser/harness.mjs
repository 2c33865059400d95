// Shared set-up for browser tests: the project's own server on 127.0.0.1 (random port) and Debian's chromium
// driven by playwright-core (never a downloaded browser). Records every request so tests can prove that
// nothing leaves the page's origin.
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

export async function openBrowser() {
  const server = await startServer(0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
  const requests = [];
  const consoleErrors = [];
  const newPage = async () => {
    const page = await browser.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    return page;
  };
  const close = async () => {
    await browser.close();
    await new Promise((done) => server.close(done));
  };
  return { origin, browser, newPage, requests, consoleErrors, close };
}
