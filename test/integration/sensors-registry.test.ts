import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { listLocations } from '../../adapters/postgres/locations';
import { createPool } from '../../adapters/postgres/pool';
import { findSensor, listSensors, recordSightings, setSensorStatus } from '../../adapters/postgres/sensors';
import { repoRoot } from '../../config/runtime';

import { withScratchDatabase } from './scratch-database';
import { testConfig, testProcessEnv } from './test-env';

jest.setTimeout(120_000);

const nearLyon = { latitude: 45.75, longitude: 4.85 };

describe('the sensor registry in PostgreSQL', () => {
  it('registers a sensor on first sight, widens first/last seen, and keeps the latest position whatever the order', async () => {
    await withScratchDatabase(
      'sensors_registry',
      async (pool) => {
        const locations = await listLocations(pool);
        const at = (observedAt: string, dLat = 0) => ({
          sensorId: 'CAP_001',
          latitude: nearLyon.latitude + dLat,
          longitude: nearLyon.longitude,
          observedAt,
        });

        const first = await recordSightings(
          pool,
          [at('2024-01-15T14:30:00Z'), at('2024-01-15T14:31:00Z', 0.01)],
          locations,
        );
        const replayed = await recordSightings(pool, [at('2024-01-15T14:30:00Z')], locations);
        const late = await recordSightings(pool, [at('2024-01-15T14:00:00Z', -0.5)], locations);
        const sensor = await findSensor(pool, 'CAP_001');

        expect(first).toEqual(['CAP_001']);
        expect(replayed).toEqual([]);
        expect(late).toEqual([]);
        expect(sensor).toMatchObject({
          latitude: nearLyon.latitude + 0.01,
          nearestLocationId: 'lyon',
          firstSeen: '2024-01-15T14:00:00.000Z',
          lastSeen: '2024-01-15T14:31:00.000Z',
          status: 'active',
        });
        expect(sensor.nearestLocationKm).toBeGreaterThan(0.5);
        expect(sensor.nearestLocationKm).toBeLessThan(2);
        expect(await listSensors(pool)).toHaveLength(1);
      },
      { migrated: true },
    );
  });

  it('retires a sensor once (a repeat changes nothing) and answers 404 for one never seen', async () => {
    await withScratchDatabase(
      'sensors_retire',
      async (pool) => {
        await recordSightings(pool, [{ sensorId: 'CAP_009', ...nearLyon, observedAt: '2024-01-15T14:30:00Z' }], []);

        const retired = await setSensorStatus(pool, 'CAP_009', {
          status: 'retired',
          actor: 'ops',
          reason: 'cracked inlet',
        });
        const again = await setSensorStatus(pool, 'CAP_009', { status: 'retired', actor: 'someone-else' });

        expect(retired).toMatchObject({
          status: 'retired',
          statusChangedBy: 'ops',
          statusReason: 'cracked inlet',
          nearestLocationId: null,
        });
        expect(again).toEqual(retired);
        expect(await listSensors(pool, { status: 'active' })).toEqual([]);
        await expect(findSensor(pool, 'CAP_404')).rejects.toMatchObject({ code: 'UNKNOWN_SENSOR', httpStatus: 404 });
      },
      { migrated: true },
    );
  });
});

describe('airq sensors', () => {
  const config = testConfig();
  const pool = createPool(config, { max: 2 });
  const run = promisify(execFile);
  const airq = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), ...args], {
      cwd: repoRoot,
      env: testProcessEnv(),
    });

  afterAll(async () => {
    await pool.query(`DELETE FROM sensors WHERE id = 'CLI_TEST_1'`);
    await pool.end();
  });

  it('lists, shows and retires a sensor, recording who retired it', async () => {
    await recordSightings(
      pool,
      [{ sensorId: 'CLI_TEST_1', ...nearLyon, observedAt: '2024-01-15T14:30:00Z' }],
      await listLocations(pool),
    );

    const listed = JSON.parse((await airq('sensors', 'list', '--json')).stdout) as { id: string }[];
    const retired = await airq('sensors', 'retire', 'CLI_TEST_1', '--reason', 'moved indoors', '--actor', 'cli:test');
    const shown = (await airq('sensors', 'show', 'CLI_TEST_1')).stdout;
    const unknown = await airq('sensors', 'show', 'NOPE_1').catch((err: { code: number; stderr: string }) => err);

    expect(listed.map((s) => s.id)).toContain('CLI_TEST_1');
    expect(retired.stdout).toContain('CLI_TEST_1 is retired (set by cli:test)');
    expect(shown).toMatch(/CLI_TEST_1\s+retired .*lyon/);
    expect(shown).toContain('by cli:test: moved indoors');
    expect(shown).toContain('calibration: none yet');
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no sensor "NOPE_1" has been seen') });
  });
});
