// Static server for the benchmark pages, on 127.0.0.1 only. Unlike the dashboard's server it sends no
// Content-Security-Policy, because Arquero compiles its expressions with `new Function`; it does send COOP/COEP,
// so the page is cross-origin isolated (5 µs performance.now() resolution instead of 100 µs).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const nm = join(root, 'node_modules');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** @param {string} segmetryDir the built package to serve at /segmetry/ */
export function startBenchServer(segmetryDir) {
  const mounts = [
    ['/segmetry/', resolve(segmetryDir)],
    ['/vendor/arrow/', join(nm, 'apache-arrow')],
    ['/vendor/arquero/', join(nm, 'arquero/dist')],
    ['/vendor/duckdb/', join(nm, '@duckdb/duckdb-wasm/dist')],
    ['/vendor/duckdb-arrow/', join(nm, '@duckdb/duckdb-wasm/node_modules/apache-arrow')],
    ['/vendor/duckdb-flatbuffers/', join(nm, '@duckdb/duckdb-wasm/node_modules/flatbuffers')],
    ['/vendor/tslib/', join(nm, 'tslib')],
    ['/variants/', join(root, 'bench/.variants')],
    ['/bench/', join(root, 'bench')],
    ['/www/', join(root, 'www')],
  ];
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    let file = null;
    for (const [prefix, dir] of mounts) {
      if (!pathname.startsWith(prefix)) continue;
      const rel = normalize(decodeURIComponent(pathname.slice(prefix.length))).replace(/^(\.\.[/\\])+/, '');
      const candidate = join(dir, rel);
      if (!candidate.startsWith(dir)) break;
      try {
        if ((await stat(candidate)).isFile()) file = candidate;
      } catch {
        /* not found */
      }
      break;
    }
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end(`not found: ${pathname}`);
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}
