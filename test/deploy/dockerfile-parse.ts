/**
 * A small Dockerfile reader for the deploy tests (`docker build` cannot run here): stages with their
 * instructions, comments and line continuations removed, and the runtime stage's ENV and command line.
 */
import { readFileSync } from 'node:fs';

export interface Instruction {
  op: string;
  args: string;
}
export interface Stage {
  from: string;
  name: string | undefined;
  steps: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ from: image, name, steps: [] });
    } else if (stages.length > 0) stages.at(-1)!.steps.push({ op: upper, args });
  }
  return stages;
}

/** The repository's Dockerfile, parsed. */
export const dockerfileStages = (): Stage[] => parseDockerfile(readFileSync('Dockerfile', 'utf8'));

/** `ENV A=1 B=2` instructions of a stage as one record (values unquoted; no spaces inside values). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const step of stage.steps.filter((s) => s.op === 'ENV')) {
    for (const [, key, value] of step.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[key!] = value!.replace(/^"|"$/g, '');
  }
  return env;
}

/** What the container runs with no arguments: ENTRYPOINT then CMD (exec form), CMD absent = nothing. */
export function defaultCommandLine(stage: Stage): string[] {
  const last = (op: string): string[] => {
    const step = stage.steps.filter((s) => s.op === op).at(-1);
    return step ? (JSON.parse(step.args) as string[]) : [];
  };
  return [...last('ENTRYPOINT'), ...last('CMD')];
}
