import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

/** What a supervisor records about its process, read by `stack:status`. */
export const supervisedState = z.object({
  name: z.string(),
  /** The running command's pid; absent between two runs. */
  pid: z.number().int().optional(),
  restarts: z.number().int().min(0),
  startedAt: z.string(),
  lastExit: z
    .object({ code: z.number().nullable(), signal: z.string().nullable(), ranMs: z.number(), at: z.string() })
    .optional(),
});
export type SupervisedState = z.infer<typeof supervisedState>;

export const supervisorStateFile = (runDir: string, name: string) => path.join(runDir, `${name}.supervisor.json`);

export function readSupervisedState(file: string): SupervisedState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return supervisedState.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** `--name <n> --state <file> -- <command> [args…]`, the supervisor's command line. */
export function supervisorArgs(argv: readonly string[]): {
  name: string;
  stateFile: string;
  command: string;
  args: string[];
} {
  const split = argv.indexOf('--');
  const options = argv.slice(0, split < 0 ? argv.length : split);
  const [command, ...args] = split < 0 ? [] : argv.slice(split + 1);
  const value = (flag: string) => {
    const i = options.indexOf(flag);
    return i >= 0 ? options[i + 1] : undefined;
  };
  const name = value('--name');
  const stateFile = value('--state');
  if (!name || !stateFile || !command) {
    throw new Error('usage: supervise.ts --name <name> --state <file> -- <command> [args…]');
  }
  return { name, stateFile, command, args };
}
