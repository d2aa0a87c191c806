import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

import { afterExit } from './policy';
import { supervisorArgs, type SupervisedState } from './state';

/**
 * Keeps one platform process running, as compose's restart policy does for a container: the embedded stack
 * starts `supervise.ts --name worker --state <file> -- node … workers/pipeline-worker.ts` in a process
 * group of its own, and this process restarts the command whenever it exits (backing off while it keeps
 * crashing), logging each exit to the same log and counting restarts in the state file `stack:status`
 * reads. A first run that dies at once is a start-up failure and is not retried, so `npm start` reports it.
 *
 * Stopping goes through the group (`stopDetached` signals every member): the command gets SIGTERM and
 * drains; this process sees it too and stops restarting, then exits when the command has.
 */
const { name, stateFile, command, args } = supervisorArgs(process.argv.slice(2));

const state: SupervisedState = { name, pid: undefined, restarts: 0, startedAt: new Date().toISOString() };
let stopping = false;
let streak = 0;
let child: ChildProcess | undefined;

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} [supervisor] ${name}: ${message}\n`);
}

function saveState(): void {
  const temp = `${stateFile}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`);
  renameSync(temp, stateFile);
}

function launch(firstRun: boolean): void {
  const started = Date.now();
  const current = spawn(command, args, { stdio: 'inherit' });
  child = current;
  state.pid = current.pid;
  saveState();
  current.once('error', (err) => log(`could not start ${command}: ${err.message}`));
  current.once('exit', (code, signal) => {
    const ranMs = Date.now() - started;
    const decision = afterExit({ ranMs, stopping, firstRun }, streak);
    const how = signal ? `signal ${signal}` : `code ${String(code)}`;
    state.lastExit = { code, signal, ranMs, at: new Date().toISOString() };
    if (!decision.restart) {
      state.pid = undefined;
      saveState();
      if (!stopping) log(`exited (${how}) after ${ranMs} ms; not restarted: ${decision.why}`);
      process.exit(code ?? 1);
    }
    streak = decision.streak;
    state.restarts += 1;
    state.pid = undefined;
    saveState();
    log(`exited (${how}) after ${Math.round(ranMs / 1000)} s; restart #${state.restarts} in ${decision.delayMs} ms`);
    setTimeout(() => {
      if (stopping) process.exit(0);
      launch(false);
    }, decision.delayMs);
  });
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopping = true;
    // Between two runs nothing is left to wait for.
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) process.exit(0);
  });
}

launch(true);
