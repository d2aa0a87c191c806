import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';

import { connectTemporal } from '../../adapters/temporal/client';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { repoRoot } from '../../config/runtime';
import { sensorIncidentWorkflowId } from '../../core/sensors/incident';
import { sensorIncident } from '../../workflows/sensor-incident';

import { sleep } from './drill-support';
import { testConfig, testProcessEnv } from './test-env';

jest.setTimeout(120_000);

const config = testConfig();
const run = promisify(execFile);
const airq = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), 'incidents', ...args], {
    cwd: repoRoot,
    env: testProcessEnv(),
  }).catch((err: { code: number; stdout: string; stderr: string }) => err);

describe('airq incidents', () => {
  it('lists an open incident, acknowledges it once (a second is refused with the reason), resolves it, shows every step', async () => {
    const temporal = await connectTemporal(config);
    const anomalyId = randomBytes(16).toString('hex');
    await startOrJoin(temporal, config, sensorIncident, sensorIncidentWorkflowId(anomalyId), {
      anomalyId,
      sensorId: 'CLI_INC_1',
      anomalyType: 'flatline',
      measurement: 'pm2_5',
      severity: 'warning',
      faultStartedAt: '2024-01-15T14:30:00Z',
      summary: 'pm2_5 stuck at 12.5',
    });
    for (let i = 0; i < 60 && !(await airq('list')).stdout.includes(anomalyId); i++) await sleep(500);

    const listed = await airq('list');
    const acknowledged = await airq('acknowledge', anomalyId, '--actor', 'ana', '--comment', 'on my way');
    const again = await airq('acknowledge', anomalyId, '--actor', 'ben');
    const resolved = await airq('resolve', anomalyId, '--actor', 'ana', '--comment', 'sensor replaced');
    const result = await temporal.workflow
      .getHandle<typeof sensorIncident>(sensorIncidentWorkflowId(anomalyId))
      .result();
    const late = await airq('acknowledge', anomalyId, '--actor', 'ben');
    const shown = await airq('show', anomalyId);

    expect(listed.stdout).toMatch(new RegExp(`${anomalyId}\\s+CLI_INC_1\\s+flatline:pm2_5\\s+open`));
    expect(acknowledged.stdout).toContain(`${anomalyId} is acknowledged (acknowledge by ana)`);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already acknowledged by ana') });
    expect(resolved.stdout).toContain(`${anomalyId} is closed (resolve by ana)`);
    expect(result).toMatchObject({ state: 'closed', closed: { reason: 'resolved', by: 'ana' } });
    expect(late).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the incident is completed (resolved by ana)'),
    });
    expect(shown.stdout).toMatch(
      /0\. .* opened[\s\S]*acknowledged by ana: on my way[\s\S]*resolved by ana: sensor replaced[\s\S]*closed/,
    );
    expect((await airq('list')).stdout).not.toContain(anomalyId);
    await temporal.connection.close();
  });
});
