import path from 'node:path';
import type * as EventSourceModule from 'eventsource';

/**
 * The `eventsource` package, the standard EventSource client for Node. Its exports map names a
 * "source" condition (its TypeScript sources), which the test runner's `--conditions=source`
 * selects for workspace packages; those sources are an ES module this CommonJS workspace cannot
 * require, so the package's own CommonJS build is loaded by path. (The root tsconfig maps the
 * types to its build likewise.)
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loaded = require(path.join(path.dirname(require.resolve('eventsource/package.json')), 'dist', 'index.cjs')) as typeof EventSourceModule;

export const { EventSource } = loaded;
