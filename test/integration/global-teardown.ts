import { spawnSync } from 'node:child_process';

import { repoRoot } from '../../config/runtime';
import type { WebhookReceiver } from '../support/webhook-receiver';

import { stackCommand } from './test-env';

/** Stops the test stack; its state stays in .stack-test for post-mortems and is wiped by the next run. */
export default async function globalTeardown(): Promise<void> {
  const { command, args, env } = stackCommand('stop');
  spawnSync(command, args, { cwd: repoRoot, env, stdio: 'inherit', timeout: 5 * 60_000 });
  await (globalThis as { webhookReceiver?: WebhookReceiver }).webhookReceiver?.close();
}
