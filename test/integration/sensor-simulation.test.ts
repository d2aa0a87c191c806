import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { connectTemporal } from '../../adapters/temporal/client';
import { startBackfill } from '../../adapters/temporal/pipeline-runs';
import { repoRoot } from '../../config/runtime';
import { labelsFromJsonLines } from '../../core/sensors/simulator/labels';
import { topics } from '../../core/topics';
import type { ingestHistory } from '../../workflows/ingest-history';

import { testConfig, testProcessEnv } from './test-env';

jest.setTimeout(180_000);

const config = testConfig();
const run = promisify(execFile);
const kafka = createKafka(config, createLogger('test', 'error'));

async function endOffsets(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topics.sensorsRaw);
    return offsets.reduce((sum, o) => sum + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('airq sensors simulate', () => {
  it('produces the whole labelled stream from stored Lyon hours to sensors.raw, and the labels to a file', async () => {
    const temporal = await connectTemporal(config);
    const backfill = await startBackfill(temporal, config, {
      locationIds: ['lyon'],
      from: '2024-01-01T00:00:00Z',
      to: '2024-01-03T23:00:00Z',
    });
    await temporal.workflow.getHandle<typeof ingestHistory>(backfill.workflowId).result();
    const labelsFile = path.join(mkdtempSync(path.join(tmpdir(), 'aqi-sim-')), 'labels.jsonl');
    const before = await endOffsets();

    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'cli', 'airq.ts'),
        'sensors',
        'simulate',
        '--locations',
        'lyon',
        '--start',
        '2024-01-01T00:00:00Z',
        '--days',
        '1',
        '--sensors',
        '4',
        '--interval',
        '300',
        '--seed',
        '7',
        '--labels',
        labelsFile,
        '--json',
      ],
      { cwd: repoRoot, env: testProcessEnv() },
    );
    const report = JSON.parse(stdout) as { sensors: number; summary: { messages: number } };
    const labels = labelsFromJsonLines(readFileSync(labelsFile, 'utf8'));

    expect(report.sensors).toBe(4);
    expect((await endOffsets()) - before).toBe(report.summary.messages);
    // 4 sensors × 288 readings, give or take the labelled delivery faults (duplicates add, dropouts remove).
    expect(report.summary.messages).toBeGreaterThan(4 * 288 * 0.8);
    expect(labels.length).toBeGreaterThan(0);
    expect(new Set(labels.map((l) => l.sensor_id)).size).toBeLessThanOrEqual(4);
    await temporal.connection.close();
  });
});
