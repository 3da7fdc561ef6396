import { LaunchError } from './data-directory.js';
import { ensurePortalBuild } from './portal.js';

// Builds the web portal's production build when it is missing or stale, and only then; the test
// runner calls it once before the test files that need the build start, so none of them waits
// a minute inside its own time limit, and none of them builds it at the same time as another.

const say = (line: string) => process.stdout.write(`${line}\n`);

ensurePortalBuild(say).then(
  (outcome) => {
    if (outcome === 'current') say('The web portal\'s production build is current.');
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof LaunchError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
