import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { createWebhookSender } from '../../adapters/alerts/webhook';
import { repoRoot } from '../../config/runtime';
import { alert } from '../../core/alerts/alert';
import { alertBody } from '../../core/alerts/payloads';
import { parseAlertTargets } from '../../core/alerts/targets';

import { stackCommand, testConfig, testEnv, testStateDir } from './test-env';

const run = promisify(execFile);
const config = testConfig();

async function cli(...args: string[]) {
  const { command, args: full, env } = stackCommand(...args);
  return run(command, full, { cwd: repoRoot, env, timeout: 5 * 60_000 });
}

const pids = () =>
  Object.fromEntries(
    ['temporal', 'kafka', 'mlflow', 'replay', 'alert-inbox', 'worker', 'trainer', 'stream', 'detector', 'api'].map(
      (name) => [name, readFileSync(path.join(testStateDir, 'run', `${name}.pid`), 'utf8').trim()],
    ),
  );

describe('embedded stack commands', () => {
  it('when status is asked for JSON, then it prints every address and that each service is up', async () => {
    const { stdout } = await cli('status', '--json');
    const status = JSON.parse(stdout) as Record<string, Record<string, unknown>>;

    expect(status).toMatchObject({
      temporal: {
        grpc: config.temporal.address,
        ui: config.temporal.uiUrl,
        http: `http://127.0.0.1:${testEnv.TEMPORAL_HTTP_PORT}`,
        up: true,
      },
      postgres: { url: config.postgres.url, up: true },
      kafka: { brokers: `127.0.0.1:${testEnv.KAFKA_PORT}`, up: true },
      mlflow: { url: `http://127.0.0.1:${testEnv.MLFLOW_PORT}`, up: true },
      api: { url: `http://127.0.0.1:${testEnv.API_PORT}`, up: true },
      worker: { up: true, restarts: expect.stringMatching(/^\d+$/) as unknown },
      stream: { groupId: 'aqi-stream-processor', up: true },
      replay: { url: `http://127.0.0.1:${testEnv.REPLAY_PORT}`, up: true },
      'alert-inbox': { url: `http://127.0.0.1:${testEnv.ALERT_INBOX_PORT}`, up: true },
    });
  });

  it('when up runs on a running stack, then it keeps the running processes', async () => {
    const before = pids();

    await cli('up');

    expect(pids()).toEqual(before);
  });

  it('when the Temporal Web UI and MLflow are asked over HTTP, then they answer', async () => {
    const ui = await fetch(config.temporal.uiUrl);
    const mlflow = await fetch(`${config.mlflow.url}/health`);

    expect(ui.status).toBe(200);
    expect(mlflow.status).toBe(200);
    expect((await mlflow.text()).trim()).toBe('OK');
  });

  it('when the worker sender posts an alert to the stack alert inbox, then the inbox page and its file have it', async () => {
    const key = `stack-test:${Date.now()}`;
    const [target] = parseAlertTargets(`json=${config.alerts.inbox.url}/alerts`);
    const sent = alert.parse({
      key,
      kind: 'pipeline_failed',
      severity: 'critical',
      title: 'stack test alert',
      text: 'posted by stack.test.ts',
      at: new Date().toISOString(),
    });

    await createWebhookSender({ timeoutMs: 5000 })(target!, alertBody('json', sent));

    const listed = (await (await fetch(`${config.alerts.inbox.url}/alerts?limit=5`)).json()) as {
      alerts: { alert: { key: string } }[];
    };
    expect(listed.alerts[0]?.alert.key).toBe(key);
    expect(await (await fetch(config.alerts.inbox.url)).text()).toContain('stack test alert');
    expect(readFileSync(path.join(testStateDir, 'logs', 'alert-inbox.jsonl'), 'utf8')).toContain(key);
  });

  it('when an unknown command is given, then it exits 2 with the usage', async () => {
    const error = await cli('launch').catch((err: { code: number; stderr: string }) => err);

    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('Usage: tsx stack/cli.ts <command>');
  });
});
