// Runs the README's example exactly as written and checks the output it promises in its comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

test('the README example runs and prints what its comments say', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('<!-- readme-example -->')[1].match(/```js\n([\s\S]*?)```/)[1];
  const expected = [...block.matchAll(/^\s*\/\/ (.*)$/gm)].map((m) => m[1].trim());
  const file = new URL('./.readme-example.mjs', import.meta.url);
  await writeFile(file, block);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file.pathname]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => l.trim());
    assert.deepEqual(
      lines.map((l) => l.replace(/\s+/g, ' ')),
      expected.map((l) => l.replace(/\s+/g, ' ')),
    );
  } finally {
    await rm(file, { force: true });
  }
});
