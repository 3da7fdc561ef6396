import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/**
 * A Dockerfile as the checks need it: its stages, each stage's instructions with their flags
 * and arguments, and what the VS Code Dockerfile validator (dockerfile-utils, the same rules
 * as `docker build`'s parser) finds wrong with it. dockerfile-ast does the lexing (line
 * continuations, comments, escape directive); this module adds the Docker semantics the
 * checks rely on: stages built on stages, WORKDIR resolution, exec-form commands.
 */
export interface DockerInstruction {
  keyword: string;
  /** Arguments after the flags, split as Docker splits them. */
  args: string[];
  /** `--from=build` → { from: 'build' }; a flag without a value maps to null. */
  flags: Record<string, string | null>;
  /** Everything after the keyword and the flags, as written (continuations joined). */
  text: string;
  /** 1-based. */
  line: number;
}

export interface DockerStage {
  /** The `AS` name, if any. */
  name: string | undefined;
  /** The image or stage named by FROM. */
  base: string;
  /** The earlier stage this one starts from, when FROM names one. */
  parent: DockerStage | undefined;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  /** ARGs before the first FROM: usable in FROM lines only. */
  globalArgs: DockerInstruction[];
  stages: DockerStage[];
  /** Errors found by dockerfile-utils, as `line N: message`. */
  problems: string[];
}

function flagsOf(instruction: Instruction): Record<string, string | null> {
  const withFlags = instruction as Instruction & { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  if (typeof withFlags.getFlags !== 'function') return {};
  return Object.fromEntries(withFlags.getFlags().map((flag) => [flag.getName(), flag.getValue()]));
}

/** The text after the keyword with leading `--flag[=value]` tokens removed. */
function textAfterFlags(instruction: Instruction): string {
  let text = (instruction.getArgumentsContent() ?? '').trim();
  const hasFlags = Object.keys(flagsOf(instruction)).length > 0;
  while (hasFlags && text.startsWith('--')) {
    const space = text.search(/\s/);
    text = space === -1 ? '' : text.slice(space).trimStart();
  }
  return text;
}

export function parseDockerfile(content: string): ParsedDockerfile {
  const problems = validate(content)
    .filter((diagnostic) => diagnostic.severity === 1)
    .map((diagnostic) => `line ${diagnostic.range.start.line + 1}: ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}`);
  const stages: DockerStage[] = [];
  const globalArgs: DockerInstruction[] = [];
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const flags = flagsOf(instruction);
    // dockerfile-ast leaves the instruction's own flags (RUN --mount, COPY --from) out of its arguments
    const args = instruction.getArguments().map((argument) => argument.getValue());
    const parsed: DockerInstruction = {
      keyword,
      args,
      flags,
      text: textAfterFlags(instruction),
      line: instruction.getRange().start.line + 1,
    };
    if (keyword === 'FROM') {
      const [base = '', as, name] = args;
      const stageName = as?.toUpperCase() === 'AS' ? name : undefined;
      stages.push({ name: stageName, base, parent: stages.find((stage) => stage.name === base), instructions: [parsed] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      globalArgs.push(parsed);
    } else {
      const current = stages.at(-1);
      if (!current) throw new Error(`line ${parsed.line}: ${keyword} before the first FROM`);
      current.instructions.push(parsed);
    }
  }
  return { globalArgs, stages, problems };
}

export function stageNamed(dockerfile: ParsedDockerfile, name: string): DockerStage {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage named "${name}"`);
  return stage;
}

export function finalStage(dockerfile: ParsedDockerfile): DockerStage {
  const stage = dockerfile.stages.at(-1);
  if (!stage) throw new Error('the Dockerfile has no FROM');
  return stage;
}

/** The stage and the stages it is built on, outermost last: [stage, parent, grandparent, ...]. */
export function lineage(stage: DockerStage): DockerStage[] {
  const chain: DockerStage[] = [];
  for (let current: DockerStage | undefined = stage; current; current = current.parent) chain.push(current);
  return chain;
}

/** The image a stage ultimately runs on (FROM of the first stage in its lineage). */
export function baseImage(stage: DockerStage): string {
  return lineage(stage).at(-1)!.base;
}

/** Instructions in effect for a stage, its parents' first, in order. */
export function effectiveInstructions(stage: DockerStage): DockerInstruction[] {
  return lineage(stage)
    .reverse()
    .flatMap((each) => each.instructions);
}

/** The last instruction with this keyword that applies to the stage (inherited ones included). */
export function lastInstruction(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  return effectiveInstructions(stage)
    .filter((instruction) => instruction.keyword === keyword)
    .at(-1);
}

/**
 * The working directory in effect before instruction `upTo` of `stage` (all of it when
 * omitted): relative WORKDIRs resolve against the previous one, as Docker does.
 */
export function workdir(stage: DockerStage, upTo?: DockerInstruction): string {
  let directory = '/';
  for (const instruction of effectiveInstructions(stage)) {
    if (instruction === upTo) break;
    if (instruction.keyword === 'WORKDIR') directory = path.posix.resolve(directory, instruction.args[0] ?? '.');
  }
  return directory;
}

/** `["node", "dist/main.js"]` for an exec-form CMD/ENTRYPOINT/RUN, undefined for shell form. */
export function execForm(instruction: DockerInstruction): string[] | undefined {
  return jsonArray(instruction.text);
}

function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((entry) => typeof entry === 'string') ? parsed : undefined;
  } catch {
    return undefined; // Docker runs such text through a shell, like any shell form
  }
}

export interface Healthcheck {
  /** --interval, --timeout, --start-period, --retries ... */
  options: Record<string, string | null>;
  /** The command in exec form, or undefined when it is shell form (or NONE). */
  exec: string[] | undefined;
  /** The command as written after CMD. */
  command: string;
}

export function healthcheck(instruction: DockerInstruction): Healthcheck {
  const match = /^CMD\s+([\s\S]*)$/i.exec(instruction.text);
  const command = match?.[1]?.trim() ?? '';
  return { options: instruction.flags, exec: jsonArray(command), command };
}

export interface Copy {
  /** The stage (or image) of `--from`, undefined for the build context. */
  from: string | undefined;
  sources: string[];
  /** Absolute in the image, resolved against WORKDIR. */
  destination: string;
  instruction: DockerInstruction;
}

/** The COPY/ADD instructions of one stage (not its parents), destinations made absolute. */
export function copies(stage: DockerStage): Copy[] {
  return stage.instructions
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map((instruction) => {
      const exec = execForm(instruction);
      const parts = exec ?? instruction.args;
      const destination = parts.at(-1) ?? '';
      return {
        from: instruction.flags.from ?? undefined,
        sources: parts.slice(0, -1),
        destination: path.posix.resolve(workdir(stage, instruction), destination) + (destination.endsWith('/') ? '/' : ''),
        instruction,
      };
    });
}

/** Build arguments a stage declares (in itself or the stages it is built on). */
export function declaredArgs(stage: DockerStage): Set<string> {
  const names = effectiveInstructions(stage)
    .filter((instruction) => instruction.keyword === 'ARG')
    .flatMap((instruction) => instruction.args.map((arg) => arg.split('=')[0] ?? ''));
  return new Set(names.filter(Boolean));
}
