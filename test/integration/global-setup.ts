import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';

import { repoRoot } from '../../config/runtime';
import { describeError } from '../../core/errors';
import { ensurePrometheus } from '../../stack/tools/prometheus';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

import { stackCommand, testConfig, testEnv, testStateDir, testWebhookReceiver } from './test-env';

/**
 * Starts a fresh test stack exactly as `npm start` does (stack, migrations, worker, API, doctor) on the
 * test ports, and the webhook receiver the worker's alerts go to. A stack left over by an interrupted run is
 * stopped and its state wiped first. Meanwhile Prometheus is built, the first time only (prometheus.test.ts).
 */
export default async function globalSetup(): Promise<void> {
  Object.assign(process.env, testEnv);
  // Up for the whole run, before the worker sends its first alert (the stack start opens incidents).
  (globalThis as { webhookReceiver?: WebhookReceiver }).webhookReceiver = await startWebhookReceiver(
    { ...testWebhookReceiver.answers },
    testWebhookReceiver.port,
  );
  if (existsSync(testStateDir)) {
    await run('stop');
    rmSync(testStateDir, { recursive: true, force: true });
  }
  // A failed build is prometheus.test.ts's failure (it builds again and says why), not the whole suite's.
  const prometheus = ensurePrometheus(testConfig(), (message) => console.log(`\n[integration] ${message}`)).catch(
    (err: unknown) => console.log(`\n[integration] Prometheus not built: ${describeError(err)}`),
  );
  try {
    await run('start');
    await prometheus;
  } catch (err) {
    // Jest skips the teardown when the setup fails: stop what did start, so nothing is left running.
    await run('stop');
    throw err;
  }
}

/** Runs a stack command without blocking this process, so the webhook receiver answers meanwhile. */
async function run(command: string): Promise<void> {
  const { command: node, args, env } = stackCommand(command);
  console.log(`\n[integration] stack ${command} (state: ${testStateDir})`);
  const child = spawn(node, args, { cwd: repoRoot, env, stdio: 'inherit' });
  const timer = setTimeout(() => child.kill('SIGTERM'), 20 * 60_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`test stack "${command}" failed with exit code ${String(code ?? signal)}`);
}
