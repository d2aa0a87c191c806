import { EventEmitter } from 'node:events';

import { Counter, Registry } from 'prom-client';

import type { ReloadOutcome } from '../models/model-store';

import { primaryHub, workerLink, type Channel } from './ipc';
import { aggregateMetrics, mergeReloadOutcomes } from './primary';

/** Two ends of an in-memory IPC pipe, delivering asynchronously like process.send does. */
function pipe(): { primarySide: Channel; workerSide: Channel } {
  const toWorker = new EventEmitter();
  const toPrimary = new EventEmitter();
  const deliver = (target: EventEmitter) => (message: unknown) =>
    setImmediate(() => target.emit('message', JSON.parse(JSON.stringify(message))));
  return {
    primarySide: { send: deliver(toWorker), onMessage: (l) => toPrimary.on('message', l) },
    workerSide: { send: deliver(toPrimary), onMessage: (l) => toWorker.on('message', l) },
  };
}

function cluster(size: number, combine: Parameters<typeof primaryHub>[0]['combine'], timeoutMs = 200) {
  const pipes = Array.from({ length: size }, pipe);
  const hub = primaryHub({ workers: () => pipes.map((p) => p.primarySide), combine, timeoutMs });
  for (const p of pipes) hub.attach(p.primarySide);
  return pipes.map((p) => workerLink(p.workerSide, 1000));
}

describe('API cluster questions', () => {
  it('puts a question to every process and combines their parts for the asker', async () => {
    const links = cluster(3, { sum: (parts) => (parts as number[]).reduce((a, b) => a + b, 0) });
    links.forEach((link, i) => link.answer('sum', () => Promise.resolve(i + 1)));
    await expect(links[1]?.ask<number>('sum')).resolves.toBe(6);
  });

  it('answers without a process that does not answer in time, and refuses unknown questions', async () => {
    const links = cluster(2, { sum: (parts) => (parts as number[]).reduce((a, b) => a + b, 0) });
    links[0]?.answer('sum', () => Promise.resolve(5));
    links[1]?.answer('sum', () => new Promise(() => undefined));
    await expect(links[0]?.ask<number>('sum')).resolves.toBe(5);
    await expect(links[0]?.ask('shutdown')).rejects.toThrow('unknown question "shutdown"');
  });

  it('sums the processes\u2019 Prometheus counters', async () => {
    const parts = await Promise.all(
      [3, 4].map((n) => {
        const registry = new Registry();
        new Counter({ name: 'aqi_api_predictions_total', help: 'rows', registers: [registry] }).inc(n);
        return registry.getMetricsAsJSON();
      }),
    );
    expect(await aggregateMetrics(parts)).toMatch(/^aqi_api_predictions_total 7$/m);
  });

  it('reports a failed reload when any process failed it', () => {
    const ok: ReloadOutcome[] = [{ name: 'aqi-eaqi-instant', result: 'loaded', version: '3' }];
    const failed: ReloadOutcome[] = [{ name: 'aqi-eaqi-instant', result: 'failed', version: '2', error: 'timeout' }];
    expect(mergeReloadOutcomes([ok, failed, ok])).toEqual(failed);
    expect(mergeReloadOutcomes([ok, ok])).toEqual(ok);
  });
});
