#!/usr/bin/env node
// Static server for the dashboard, on 127.0.0.1 only. Sends a strict Content-Security-Policy: no 'unsafe-eval'
// (only 'wasm-unsafe-eval', which compiling WebAssembly needs) and connect-src 'self', so the page provably
// cannot send customer data anywhere.
//   node scripts/serve.mjs [--port 8080]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const portArg = process.argv.indexOf('--port');
const port = Number(portArg > 0 ? process.argv[portArg + 1] : (process.env.PORT ?? 8080));

// URL prefix → folder. The package is served exactly as npm consumers get it (dist/).
// The dashboard is the Vite build of www/ (scripts/build-dashboard.sh → dist-dashboard/); examples/plain-html imports
// the package from /segmetry/ like a page that copied dist/ next to itself.
const mounts = [
  ['/segmetry/', join(root, 'dist')],
  ['/vendor/apache-arrow/', join(root, 'node_modules/apache-arrow')],
  ['/vendor/d3/', join(root, 'node_modules/d3/dist')],
  ['/vendor/plot/', join(root, 'node_modules/@observablehq/plot/dist')],
  ['/examples/plain-html/', join(root, 'examples/plain-html')],
  ['/examples/vite-app/', join(root, 'examples/vite-app/dist')],
  ['/', join(root, 'dist-dashboard')],
];

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.arrow': 'application/vnd.apache.arrow.file',
  '.csv': 'text/csv',
  '.parquet': 'application/octet-stream',
};

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

async function resolveFile(pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(pathname.slice(prefix.length))).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, rel);
    if (!file.startsWith(dir)) return null;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      await stat(file);
      return file;
    } catch {
      return null;
    }
  }
  return null;
}

export function startServer(listenPort = port) {
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    const file = await resolveFile(pathname);
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(
        pathname === '/' || pathname === '/index.html'
          ? 'the dashboard is not built: run `npm start` (or `bash scripts/build-dashboard.sh`)\n'
          : `not found: ${pathname}`,
      );
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  return new Promise((done) => server.listen(listenPort, '127.0.0.1', () => done(server)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startServer();
  console.log(`segmetry dashboard: http://127.0.0.1:${server.address().port}/`);
}
