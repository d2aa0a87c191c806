import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../../config/runtime';

import { testProcessEnv } from './test-env';

/**
 * An API of its own against the test stack (`api/server.ts` with API_WORKERS processes on `port`), so a
 * test can signal it without disturbing the stack's API. It runs in a process group of its own, stopped
 * the way the stack stops its apps: a signal to the whole group.
 */
export interface ApiCluster {
  child: ChildProcess;
  url: string;
  /** How many log lines so far carry this message (`"msg":"api listening"` once per process that listens). */
  logged(message: string): number;
  /** The end of what the processes wrote, for failure messages. */
  tail(): string;
  /** The pids of the primary's live API processes (not the loader's esbuild helper), read from /proc. */
  workerPids(): number[];
}

export async function startApiCluster(options: { port: number; workers: number }): Promise<ApiCluster> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'api', 'server.ts')], {
    cwd: repoRoot,
    env: {
      ...testProcessEnv(),
      API_PORT: String(options.port),
      API_PUBLIC_URL: url,
      API_WORKERS: String(options.workers),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const counts = new Map<string, number>();
  let tail = '';
  let partial = '';
  const read = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const message = /"msg":"([^"]*)"/.exec(line)?.[1];
      if (message !== undefined) counts.set(message, (counts.get(message) ?? 0) + 1);
    }
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  const cluster: ApiCluster = {
    child,
    url,
    logged: (message) => counts.get(message) ?? 0,
    tail: () => tail,
    workerPids: () =>
      childrenOf(child.pid ?? -1).filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join('api', 'server.ts'));
        } catch {
          return false;
        }
      }),
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    // Every process listens before any is ready; one "api listening" line per process says all are up.
    if (ready && cluster.logged('api listening') === options.workers) return cluster;
    if (Date.now() > deadline || child.exitCode !== null) {
      stopApiCluster(cluster, 'SIGKILL');
      throw new Error(`the clustered API did not get ready:\n${tail.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Signals the cluster's whole process group (the primary and its workers), if it is still running. */
export function stopApiCluster(cluster: ApiCluster, signal: NodeJS.Signals): void {
  if (cluster.child.exitCode === null && cluster.child.signalCode === null && cluster.child.pid !== undefined) {
    process.kill(-cluster.child.pid, signal);
  }
}

/** Live (not zombie) processes whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // Fields after the command's closing parenthesis: state, ppid, …
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === pid && state !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number)
    .sort((a, b) => a - b);
}
