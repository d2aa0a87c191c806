import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { StackLayout } from './layout';

export interface DetachedCommand {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const pidFile = (layout: StackLayout, name: string) => path.join(layout.runDir, `${name}.pid`);

/**
 * True when a process with this pid exists and is not a zombie (signal 0 checks without touching it; a
 * zombie is dead but lingers until reaped, which some container init processes never do).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function recordedPid(layout: StackLayout, name: string): number | undefined {
  const file = pidFile(layout, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function runningPid(layout: StackLayout, name: string): number | undefined {
  const pid = recordedPid(layout, name);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/**
 * Starts a long-running process in its own process group, detached from this one, with stdout and stderr
 * appended to `<state>/logs/<name>.log`, and records its pid so `stopDetached` can find it from another run.
 */
export function startDetached(layout: StackLayout, cmd: DetachedCommand): number {
  const log = openSync(layout.logFile(cmd.name), 'a');
  const child = spawn(cmd.command, cmd.args, {
    cwd: cmd.cwd,
    env: cmd.env ?? process.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  if (child.pid === undefined) throw new Error(`could not start ${cmd.name} (${cmd.command})`);
  child.unref();
  writeFileSync(pidFile(layout, cmd.name), `${child.pid}\n`);
  return child.pid;
}

/**
 * Stops a process started by `startDetached`: SIGTERM to its whole group, then SIGKILL if it is still
 * there after `graceMs`. Returns false when nothing was running.
 */
export async function stopDetached(layout: StackLayout, name: string, graceMs = 15_000): Promise<boolean> {
  const recorded = recordedPid(layout, name);
  // A leader that died alone (a supervisor SIGKILLed by hand) may leave its group behind: stop that too.
  const pid = recorded !== undefined && (isAlive(recorded) || groupHasLiveMembers(recorded)) ? recorded : undefined;
  rmSyncQuiet(pidFile(layout, name));
  if (pid === undefined) return false;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await delay(200);
  // Whatever of the group outlived its leader (orphaned helpers, a supervised command) goes too, and is
  // waited for: a signal is delivered asynchronously, and a caller may start the next one on the same port.
  signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await delay(100);
  const groupDeadline = Date.now() + 5_000;
  while (groupHasLiveMembers(pid) && Date.now() < groupDeadline) await delay(50);
  return true;
}

/** Whether a process group still has a member that is not a zombie (read from /proc). */
function groupHasLiveMembers(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return false;
  }
  return entries.some((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state, ppid, pgrp, …
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(group) === pgid && state !== 'Z';
    } catch {
      return false;
    }
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function rmSyncQuiet(file: string): void {
  rmSync(file, { force: true });
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
