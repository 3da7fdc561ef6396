import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { freePort } from './ports.js';

test('freePort never hands out a port twice while its taker lives, in this process or in another', async () => {
  const mine = new Set<number>();
  for (let i = 0; i < 300; i++) mine.add(await freePort());
  assert.equal(mine.size, 300);

  // Another process asking for many ports meanwhile gets none of this process's.
  const other = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '-e', "const { freePort } = require('./ports.ts'); (async () => { const taken = []; for (let i = 0; i < 3000; i++) taken.push(await freePort()); console.log(JSON.stringify(taken)); })();"],
    { cwd: __dirname, encoding: 'utf8' },
  );
  assert.equal(other.status, 0, other.stderr);
  const theirs = JSON.parse(other.stdout) as number[];
  assert.equal(theirs.length, 3000);
  assert.deepEqual(theirs.filter((port) => mine.has(port)), []);
});
