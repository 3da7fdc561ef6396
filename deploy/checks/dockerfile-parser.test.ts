import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  baseImage,
  copies,
  declaredArgs,
  execForm,
  finalStage,
  healthcheck,
  lastInstruction,
  parseDockerfile,
  stageNamed,
  workdir,
} from './test-support/dockerfile.js';

// The Dockerfile checks read stages, WORKDIR, COPY and exec-form commands through this module;
// these cases pin down the Docker semantics it implements.
const sample = `# syntax=docker/dockerfile:1
ARG BASE=node:24
FROM node:24.13-bookworm-slim AS base
WORKDIR /app
COPY package.json ./

FROM base AS build
ARG NEXT_PUBLIC_API_URL
RUN --mount=type=cache,target=/root/.npm \\
    npm ci
COPY src/ src/
RUN npx tsc -b

FROM base AS runtime
COPY --from=build /app/dist dist
WORKDIR service
USER node
HEALTHCHECK --interval=15s --timeout=5s \\
  CMD ["node", "-e", "process.exit(0)"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
`;

describe('Dockerfile model', () => {
  const dockerfile = parseDockerfile(sample);

  test('when a Dockerfile is well formed, then the validator reports nothing', () => {
    assert.deepEqual(dockerfile.problems, []);
  });

  test('when a Dockerfile has mistakes docker build would refuse, then the validator names their lines', () => {
    const { problems } = parseDockerfile('FROM node:24\nCOPY onlyone\nHEALTHCHECK --intervl=3s CMD true\nFROM node:24 AS a b\n');
    assert.ok(problems.some((problem) => problem.startsWith('line 2:')), problems.join('\n'));
    assert.ok(problems.some((problem) => problem.startsWith('line 3:') && /intervl/.test(problem)), problems.join('\n'));
    assert.ok(problems.some((problem) => problem.startsWith('line 4:')), problems.join('\n'));
  });

  test('stages know their names and the stage they are built on; ARGs before FROM stay global', () => {
    assert.deepEqual(
      dockerfile.stages.map((stage) => [stage.name, stage.base, stage.parent?.name]),
      [
        ['base', 'node:24.13-bookworm-slim', undefined],
        ['build', 'base', 'base'],
        ['runtime', 'base', 'base'],
      ],
    );
    assert.deepEqual(dockerfile.globalArgs.map((arg) => arg.args), [['BASE=node:24']]);
    assert.equal(baseImage(finalStage(dockerfile)), 'node:24.13-bookworm-slim');
    assert.deepEqual([...declaredArgs(stageNamed(dockerfile, 'build'))], ['NEXT_PUBLIC_API_URL']);
    assert.deepEqual([...declaredArgs(stageNamed(dockerfile, 'runtime'))], []);
  });

  test('flags are separated from arguments, and continuation lines are joined', () => {
    const run = stageNamed(dockerfile, 'build').instructions.find((instruction) => instruction.keyword === 'RUN')!;
    assert.deepEqual(run.flags, { mount: 'type=cache,target=/root/.npm' });
    assert.deepEqual(run.args, ['npm', 'ci']);
    assert.equal(run.line, 9);
  });

  test('WORKDIR is inherited from the stage built on, and relative WORKDIRs resolve against it', () => {
    const runtime = finalStage(dockerfile);
    assert.equal(workdir(stageNamed(dockerfile, 'build')), '/app');
    assert.equal(workdir(runtime), '/app/service');
    const copy = copies(runtime)[0]!;
    assert.equal(workdir(runtime, copy.instruction), '/app', 'the COPY ran before the second WORKDIR');
  });

  test('COPY destinations are made absolute and --from names the source stage', () => {
    assert.deepEqual(
      copies(stageNamed(dockerfile, 'build')).map(({ from, sources, destination }) => ({ from, sources, destination })),
      [{ from: undefined, sources: ['src/'], destination: '/app/src/' }],
    );
    assert.deepEqual(
      copies(finalStage(dockerfile)).map(({ from, sources, destination }) => ({ from, sources, destination })),
      [{ from: 'build', sources: ['/app/dist'], destination: '/app/dist' }],
    );
  });

  test('CMD and HEALTHCHECK in exec form are read as argument lists; shell form is not', () => {
    const runtime = finalStage(dockerfile);
    assert.deepEqual(execForm(lastInstruction(runtime, 'CMD')!), ['node', '--enable-source-maps', 'dist/main.js']);
    const check = healthcheck(lastInstruction(runtime, 'HEALTHCHECK')!);
    assert.deepEqual(check.exec, ['node', '-e', 'process.exit(0)']);
    assert.deepEqual(check.options, { interval: '15s', timeout: '5s' });
    assert.equal(lastInstruction(runtime, 'USER')?.args[0], 'node');

    const shell = parseDockerfile('FROM node:24\nCMD npm start\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n');
    const stage = finalStage(shell);
    assert.equal(execForm(lastInstruction(stage, 'CMD')!), undefined);
    assert.equal(healthcheck(lastInstruction(stage, 'HEALTHCHECK')!).exec, undefined);
    // A bracket that is not valid JSON is shell form to Docker too.
    assert.equal(execForm(lastInstruction(finalStage(parseDockerfile("FROM node:24\nCMD ['node', 'x.js']\n")), 'CMD')!), undefined);
  });
});
