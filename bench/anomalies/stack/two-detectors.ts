import path from 'node:path';

import type { Admin, Producer } from 'kafkajs';
import type pg from 'pg';

import { repoRoot } from '../../../config/runtime';
import { simulate } from '../../../core/sensors/simulator/simulate';
import type { StackLayout } from '../../../stack/layout';
import { runningPid, startDetached, stopDetached } from '../../../stack/processes';
import { detectorGroupId } from '../../../workers/detector/processor';
import { lyonReference, scenarioOptions, type ScenarioArgs } from '../scenario';

import { groupMembers, produceAll } from './kafka';
import { expected, sameSet, stored, uniquePrefix } from './outcome';
import { until } from './waiting';

/** Two detectors in one group against the core (what one uninterrupted detector finds). */
export async function twoDetectors(
  admin: Admin,
  pool: pg.Pool,
  producer: Producer,
  layout: StackLayout,
  scenario: ScenarioArgs,
  start: string,
) {
  const prefix = uniquePrefix('G');
  startDetached(layout, {
    name: 'detector2',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repoRoot, 'workers', 'sensor-detector.ts')],
    cwd: repoRoot,
  });
  await until(
    'two detectors: group of two',
    async () => {
      const group = await groupMembers(admin);
      return group.state === 'Stable' && group.members === 2 && runningPid(layout, 'detector2') !== undefined;
    },
    120_000,
    500,
  );
  const { groups } = await admin.describeGroups([detectorGroupId]);
  const simulation = simulate(scenarioOptions({ ...scenario, start, prefix }), [lyonReference()]);
  const want = expected(simulation, JSON.parse(process.env.SENSOR_DETECTOR_THRESHOLDS ?? '{}'));
  await produceAll(producer, simulation);
  await until('two detectors: stored', async () => (await stored(pool, prefix)).readings >= want.readings, 600_000);
  const got = await stored(pool, prefix);
  const group = await groupMembers(admin);
  const result = {
    members: groups[0]?.members.map((m) => m.clientHost) ?? [],
    groupAtEnd: group,
    readingsStored: got.readings,
    readingsExpected: want.readings,
    anomalies: got.anomalies.size,
    anomaliesExpected: want.anomalies.size,
    same: sameSet(got.anomalies, want.anomalies),
  };
  console.log(
    `- two detectors in group ${detectorGroupId} (${group.members} members, ${group.state}): ${result.readingsStored}/${result.readingsExpected} readings stored, ` +
      `${result.anomalies} anomalies, ${result.same ? '**the same set** as one uninterrupted core run' : `**not the same set** (core: ${result.anomaliesExpected})`}`,
  );
  await stopDetached(layout, 'detector2', 25_000);
  return result;
}
