import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { alert, type AlertInput } from '../../core/alerts/alert';
import { alertBody } from '../../core/alerts/payloads';
import { parseAlertTargets } from '../../core/alerts/targets';
import { createLogger } from '../logger';

import { createAlertInbox } from './inbox-server';
import { createWebhookSender } from './webhook';

const poorAir: AlertInput = {
  key: 'air_quality_poor:lyon:observed:2024-03-06:poor',
  kind: 'air_quality_poor',
  severity: 'warning',
  title: 'Lyon: poor air <observed>',
  text: 'European AQI 62 at 06:00',
  links: [{ label: 'Dashboard', url: 'http://127.0.0.1:8000/dashboard/' }],
  facts: { location: 'lyon', index: 62 },
  at: '2024-03-06T06:00:00Z',
};

describe('the alert inbox, fed by the platform webhook sender over real HTTP', () => {
  let dir: string;
  let logged: string[];
  const servers: Server[] = [];

  const start = async (file: string) => {
    const logger = createLogger(
      'alert-inbox',
      'info',
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logged.push(chunk.toString());
          done();
        },
      }),
    );
    const server = createServer(
      createAlertInbox({ file, logger, keep: 3, now: () => new Date('2024-03-06T06:05:00Z') }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const send = async (base: string, input: AlertInput) => {
    const [target] = parseAlertTargets(`json=${base}/alerts`);
    await createWebhookSender({ timeoutMs: 2000 })(target!, alertBody('json', alert.parse(input)));
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'alert-inbox-'));
    logged = [];
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a JSON alert is delivered, then it is listed, kept in the file, logged and shown escaped on the page', async () => {
    const file = path.join(dir, 'inbox.jsonl');
    const base = await start(file);

    await send(base, poorAir);

    const listed = (await (await fetch(`${base}/alerts`)).json()) as {
      alerts: { receivedAt: string; alert: unknown }[];
    };
    expect(listed.alerts).toEqual([{ receivedAt: '2024-03-06T06:05:00.000Z', alert: alert.parse(poorAir) }]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(logged.join('')).toContain('alert: Lyon: poor air <observed>');
    const page = await (await fetch(base)).text();
    expect(page).toContain('Lyon: poor air &lt;observed&gt;');
    expect(page).toContain('href="http://127.0.0.1:8000/dashboard/"');
  });

  it('when restarted on the same file, then it still shows the newest alerts it kept, newest first', async () => {
    const file = path.join(dir, 'inbox.jsonl');
    const first = await start(file);
    for (const day of ['03', '04', '05', '06'])
      await send(first, { ...poorAir, key: `k-${day}`, at: `2024-03-${day}T06:00:00Z` });

    const second = await start(file);
    const listed = (await (await fetch(`${second}/alerts?limit=2`)).json()) as { alerts: { alert: { key: string } }[] };

    expect(listed.alerts.map((e) => e.alert.key)).toEqual(['k-06', 'k-05']);
    const all = (await (await fetch(`${second}/alerts`)).json()) as { alerts: unknown[] };
    expect(all.alerts).toHaveLength(3);
  });

  it.each([
    [
      'a body that is not an alert',
      JSON.stringify({ schema: 'aqi.alert/v1', ...poorAir, severity: 'loud' }),
      /severity/,
    ],
    ['a body of another schema', JSON.stringify({ ...poorAir, schema: 'other' }), /schema/],
    ['malformed JSON', '{"key":', /JSON|Unexpected|Expected/],
  ])('when it receives %s, then it answers 400 with the reason and keeps nothing', async (_name, body, reason) => {
    const file = path.join(dir, 'inbox.jsonl');
    const base = await start(file);

    const response = await fetch(`${base}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(reason);
    const listed = (await (await fetch(`${base}/alerts`)).json()) as { alerts: unknown[] };
    expect(listed.alerts).toEqual([]);
  });

  it('when the limit is not a number, then GET /alerts answers 400 naming it', async () => {
    const base = await start(path.join(dir, 'inbox.jsonl'));

    const response = await fetch(`${base}/alerts?limit=many`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/limit/);
  });
});
