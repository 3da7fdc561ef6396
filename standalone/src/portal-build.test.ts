import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LaunchError } from './data-directory.js';
import { ensurePortalBuild, portalBuildNeeded, type PortalBuild } from './portal.js';

// The lock and staleness rules of the portal build, with a stand-in build command (a Node
// script that takes a moment, counts its runs and leaves a BUILD_ID): what matters is who builds
// and when, not Next.js. The real build is exercised by the launcher and portal tests.

const root = mkdtempSync(path.join(tmpdir(), 'desk-portal-build-'));
after(() => rmSync(root, { recursive: true, force: true }));

function standIn(name: string, script: string): PortalBuild & { runs: () => number } {
  const directory = path.join(root, name);
  mkdirSync(path.join(directory, 'src'), { recursive: true });
  writeFileSync(path.join(directory, 'src', 'page.tsx'), 'export default function Page() { return null; }\n');
  const runs = path.join(directory, 'runs.log');
  const buildId = path.join(directory, 'out', 'BUILD_ID');
  return {
    directory,
    outputs: [buildId],
    sources: ['src'],
    command: [process.execPath, '-e', script, runs, buildId],
    commandLine: 'the stand-in build',
    runs: () => {
      try {
        return readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
  };
}

const SLOW_BUILD = `
const fs = require('node:fs'); const path = require('node:path');
const [runs, buildId] = process.argv.slice(1);
fs.appendFileSync(runs, 'start\\n');
console.log('compiling…');
setTimeout(() => { fs.mkdirSync(path.dirname(buildId), { recursive: true }); fs.writeFileSync(buildId, String(Date.now())); }, 800);
`;

describe('the portal build', () => {
  test('when several builders find it missing at once, one builds and the others wait and use its build', async () => {
    const build = standIn('concurrent', SLOW_BUILD);
    const progress: string[][] = [[], [], []];
    const outcomes = await Promise.all(progress.map((lines) => ensurePortalBuild((line) => lines.push(line), build)));

    assert.equal(build.runs(), 1, 'built once');
    assert.deepEqual([...outcomes].sort(), ['built', 'current', 'current']);
    const waited = progress.filter((lines) => lines.some((line) => line.includes('Another process is building the web portal')));
    assert.equal(waited.length, 2, 'the two that did not build said they were waiting');
    const builder = progress[outcomes.indexOf('built')]!;
    assert.ok(builder.some((line) => line.includes('building it (the stand-in build)')), builder.join('\n'));
    assert.ok(builder.some((line) => line.includes('│ compiling…')), 'the build\'s own output is relayed');
    assert.equal(portalBuildNeeded(build), null);
  });

  test('when the build is current, nothing runs; when a source changes after it, it is built again', async () => {
    const build = standIn('stale', SLOW_BUILD);
    assert.equal(portalBuildNeeded(build), 'The web portal has no production build yet');
    assert.equal(await ensurePortalBuild(() => undefined, build), 'built');
    assert.equal(await ensurePortalBuild(() => undefined, build), 'current');
    assert.equal(build.runs(), 1);

    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(build.directory, 'src', 'page.tsx'), later, later);
    assert.equal(portalBuildNeeded(build), 'The web portal changed since it was last built');
    assert.equal(await ensurePortalBuild(() => undefined, build), 'built');
    assert.equal(build.runs(), 2);
  });

  test('when the build fails, the error carries what it printed, even to a caller that shows no progress, and the lock is let go', async () => {
    const build = standIn('failing', `console.log('Running TypeScript ...'); console.error("app/page.tsx(3,7): error TS2322: Type 'string' is not assignable to type 'number'."); process.exit(1);`);
    await assert.rejects(
      ensurePortalBuild(() => undefined, build),
      (error: unknown) => {
        assert.ok(error instanceof LaunchError);
        assert.match(error.message, /Building the web portal failed \(exit code 1\)/);
        assert.match(error.message, /│ Running TypeScript \.\.\./);
        assert.match(error.message, /│ app\/page\.tsx\(3,7\): error TS2322/);
        assert.match(error.message, /`the stand-in build` shows the same/);
        return true;
      },
    );
    // A second try is not stuck behind the failed one's lock.
    await assert.rejects(ensurePortalBuild(() => undefined, build), LaunchError);
  });
});
