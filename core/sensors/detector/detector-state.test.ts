import { AppError } from '../../errors';
import type { SensorAnomaly } from '../anomaly';
import type { SensorReading } from '../reading';
import { alter, cleanSeries, interleave, minuteMs, msOf, withMeasurement } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { createDetectorState, restoreDetectorState } from './detector-state';
import type { DetectorOutput } from './outputs';

const iso = (ms: number) => new Date(ms).toISOString();

/** Every output of one detector fed `readings` in one batch, then drained. */
function detect(readings: readonly SensorReading[]): DetectorOutput[] {
  const detector = createDetectorState(thresholds);
  return [...detector.ingest(readings), ...detector.drain()];
}

const opened = (outputs: readonly DetectorOutput[]) =>
  outputs.flatMap((o) => (o.kind === 'anomaly_opened' ? [o.anomaly] : []));
const closed = (outputs: readonly DetectorOutput[]) => outputs.flatMap((o) => (o.kind === 'anomaly_closed' ? [o] : []));
const flagsOf = (outputs: readonly DetectorOutput[], sensorId: string) =>
  outputs.flatMap((o) => (o.kind === 'reading' && o.reading.sensor_id === sensorId ? [o] : []));
const rejections = (outputs: readonly DetectorOutput[]) => outputs.flatMap((o) => (o.kind === 'rejected' ? [o] : []));
const kinds = (anomalies: readonly SensorAnomaly[]) =>
  anomalies.map((a) => `${a.sensor_id} ${a.type} ${a.measurement ?? ''}`.trim());

/** Sensor A (to be broken by each test) and two clean neighbours on the same partition, for a day. */
const day = 1440;
const sensorA = cleanSeries({ sensorId: 'A', seed: 1, minutes: day, level: 15 });
const others = [
  cleanSeries({ sensorId: 'B', seed: 2, minutes: day }),
  cleanSeries({ sensorId: 'C', seed: 3, minutes: day }),
];
const withA = (a: SensorReading[]) => interleave(a, ...others);
const t = (i: number) => msOf(sensorA[i] as SensorReading);

describe('DetectorState on clean data', () => {
  it('when 12 clean sensors report every minute for 3 days, then no anomaly is raised and no reading is flagged', () => {
    const sensors = Array.from({ length: 12 }, (_, i) =>
      cleanSeries({ sensorId: `S${i}`, seed: 2000 + i, minutes: 3 * day, level: 5 + (i % 6) * 6 }),
    );

    const outputs = detect(interleave(...sensors));

    expect(outputs.filter((o) => o.kind === 'reading')).toHaveLength(12 * 3 * day);
    expect(kinds(opened(outputs))).toEqual([]);
    expect(outputs.flatMap((o) => (o.kind === 'reading' ? o.flags : []))).toEqual([]);
  });
});

describe('DetectorState on faults', () => {
  it('when a sensor sends −999 once, then one out-of-range anomaly on that reading, out as soon as it is admitted', () => {
    const broken = [...sensorA];
    broken[300] = withMeasurement(sensorA[300] as SensorReading, 'no2', -999);
    const stream = withA(broken);
    const admitted = stream.indexOf(broken[300] as SensorReading) + 1;
    const detector = createDetectorState(thresholds);

    const onArrival = detector.ingest(stream.slice(0, admitted));
    const outputs = [...onArrival, ...detector.ingest(stream.slice(admitted)), ...detector.drain()];

    expect(kinds(opened(onArrival))).toEqual(['A out_of_range no2']);
    // Checked so far: A's readings up to the lateness before reading 300, not reading 300 itself.
    expect(flagsOf(onArrival, 'A')).toHaveLength(300 - thresholds.allowedLatenessSeconds / 60 + 1);
    expect(opened(outputs)).toEqual(opened(onArrival));
    expect(opened(outputs)[0]).toMatchObject({
      window: { start: iso(t(300)), end: iso(t(300)) },
      detected_at: iso(t(300)),
      evidence: { value: -999, reason: 'sentinel' },
    });
    expect(closed(onArrival)).toEqual([{ kind: 'anomaly_closed', anomaly: opened(outputs)[0], closedAt: iso(t(300)) }]);
    expect(flagsOf(outputs, 'A')[300]?.flags).toEqual([{ type: 'out_of_range', measurement: 'no2' }]);
  });

  it('when five readings in a row are negative, then each is an anomaly of its own, and each reading is flagged', () => {
    const outputs = detect(withA(alter(sensorA, 'pm10', 400, 405, () => -3)));

    expect(kinds(opened(outputs))).toEqual(Array.from({ length: 5 }, () => 'A out_of_range pm10'));
    expect(opened(outputs).map((a) => a.window)).toEqual(
      [400, 401, 402, 403, 404].map((i) => ({ start: iso(t(i)), end: iso(t(i)) })),
    );
    expect(new Set(opened(outputs).map((a) => a.id)).size).toBe(5);
    expect(opened(outputs)[0]?.evidence).toEqual({ value: -3, reason: 'below_min', bound: 0 });
    expect(flagsOf(outputs, 'A').flatMap((o, i) => (o.flags.length > 0 ? [i] : []))).toEqual([400, 401, 402, 403, 404]);
  });

  it('when out-of-range values keep coming (16 in an hour), then one repeated_out_of_range from the first, closed an hour after the last', () => {
    // −999 every 3 minutes, 20 times: the 16th (at +45 min) is more than a quarter of the hour's 60 readings.
    const bad = Array.from({ length: 20 }, (_, k) => 300 + 3 * k);
    const broken = sensorA.map((r, i) => (bad.includes(i) ? withMeasurement(r, 'no2', -999) : r));

    const outputs = detect(withA(broken));
    const repeated = (o: { anomaly: SensorAnomaly }) => o.anomaly.type === 'repeated_out_of_range';

    expect(opened(outputs).filter((a) => a.type === 'out_of_range')).toHaveLength(20);
    expect(kinds(opened(outputs).filter((a) => a.type !== 'out_of_range'))).toEqual(['A repeated_out_of_range no2']);
    expect(opened(outputs).find((a) => a.type === 'repeated_out_of_range')).toMatchObject({
      window: { start: iso(t(300)), end: iso(t(345)) },
      detected_at: iso(t(345)),
      evidence: { in_window: 16, required: 16, window_seconds: 3600 },
    });
    // The last is at 357; the first reading more than an hour later closes it.
    expect(closed(outputs).filter(repeated)).toEqual([
      expect.objectContaining({
        closedAt: iso(t(418)),
        anomaly: expect.objectContaining({ window: { start: iso(t(300)), end: iso(t(357)) } }),
      }),
    ]);
  });

  it('when 15 out-of-range values fall in an hour, then each is reported, but no repeated_out_of_range', () => {
    const bad = Array.from({ length: 15 }, (_, k) => 300 + 4 * k);
    const broken = sensorA.map((r, i) => (bad.includes(i) ? withMeasurement(r, 'no2', -999) : r));

    const outputs = detect(withA(broken));

    expect(kinds(opened(outputs))).toEqual(Array.from({ length: 15 }, () => 'A out_of_range no2'));
  });

  it('when a sensor spikes five times within an hour, then one frequent_spikes from the first spike, closed an hour after the last', () => {
    const spikes = [500, 510, 520, 530, 540];
    const broken = sensorA.map((r, i) =>
      spikes.includes(i) ? withMeasurement(r, 'pm2_5', (r.measurements.pm2_5 as number) + 60) : r,
    );

    const outputs = detect(withA(broken));
    const frequent = opened(outputs).find((a) => a.type === 'frequent_spikes');

    expect(kinds(opened(outputs))).toEqual([
      ...spikes.slice(0, 4).map(() => 'A spike pm2_5'),
      'A spike pm2_5',
      'A frequent_spikes pm2_5',
    ]);
    expect(frequent).toMatchObject({
      window: { start: iso(t(500)), end: iso(t(540)) },
      detected_at: iso(t(541)),
      evidence: { in_window: 5, required: thresholds.frequentSpikesCount },
    });
    expect(closed(outputs).filter((o) => o.anomaly.type === 'frequent_spikes')).toEqual([
      expect.objectContaining({ closedAt: iso(t(601)), anomaly: expect.objectContaining({ id: frequent?.id }) }),
    ]);
  });

  it('when a sensor spikes four times within an hour, then four spikes and no frequent_spikes', () => {
    const spikes = [500, 515, 530, 545];
    const broken = sensorA.map((r, i) =>
      spikes.includes(i) ? withMeasurement(r, 'pm2_5', (r.measurements.pm2_5 as number) + 60) : r,
    );

    expect(kinds(opened(detect(withA(broken))))).toEqual(spikes.map(() => 'A spike pm2_5'));
  });

  it('when one reading jumps by 60 µg/m³, then one spike on that reading, flagged on it and confirmed by the next', () => {
    const outputs = detect(withA(alter(sensorA, 'pm2_5', 500, 501, (v) => v + 60)));

    expect(kinds(opened(outputs))).toEqual(['A spike pm2_5']);
    expect(opened(outputs)[0]).toMatchObject({
      window: { start: iso(t(500)), end: iso(t(500)) },
      detected_at: iso(t(501)),
    });
    expect(flagsOf(outputs, 'A')[500]?.flags).toEqual([{ type: 'spike', measurement: 'pm2_5' }]);
  });

  it('when a value jumps by 400 in a minute, then a rate-of-change anomaly on that reading, besides the spike', () => {
    const outputs = detect(withA(alter(sensorA, 'pm10', 600, 601, (v) => v + 400)));

    expect(kinds(opened(outputs))).toEqual(['A rate_of_change pm10', 'A spike pm10']);
    expect(opened(outputs)[0]).toMatchObject({ window: { start: iso(t(600)) }, detected_at: iso(t(600)) });
  });

  it('when a value freezes for 20 readings, then one flatline from the first, detected on the 10th, closed by the 21st', () => {
    const frozen = sensorA[700]?.measurements.pm2_5 as number;
    const outputs = detect(withA(alter(sensorA, 'pm2_5', 700, 720, () => frozen)));
    const rule = thresholds.measurements.pm2_5.flatlineReadings;

    expect(kinds(opened(outputs))).toEqual(['A flatline pm2_5']);
    expect(opened(outputs)[0]).toMatchObject({ window: { start: iso(t(700)) }, detected_at: iso(t(700 + rule - 1)) });
    expect(closed(outputs)[0]).toMatchObject({
      closedAt: iso(t(720)),
      anomaly: { window: { start: iso(t(700)), end: iso(t(719)) } },
    });
    const flagged = flagsOf(outputs, 'A').flatMap((o, i) => (o.flags.length > 0 ? [i] : []));
    expect(flagged).toEqual(Array.from({ length: 20 - rule + 1 }, (_, k) => 700 + rule - 1 + k));
  });

  it('when a value freezes for two hours away from the level, then only the flatline: neither its start nor its end is a step', () => {
    // Stuck at 35 against a level near 15: the step windows restart when the flatline is found.
    const outputs = detect(withA(alter(sensorA, 'pm2_5', 700, 820, () => 35)));

    expect(kinds(opened(outputs))).toEqual(['A flatline pm2_5']);
    expect(
      flagsOf(outputs, 'A')
        .slice(820)
        .flatMap((o) => o.flags),
    ).toEqual([]);
  });

  it('when a value freezes at the level for two hours, then a spike right after it waits for the window to refill', () => {
    const frozen = sensorA[700]?.measurements.pm2_5 as number;
    const stuck = alter(sensorA, 'pm2_5', 700, 820, () => frozen);
    const refill = thresholds.hampelMinReadings;
    const early = detect(withA(alter(stuck, 'pm2_5', 820 + refill - 1, 820 + refill, (v) => v + 60)));
    const judged = detect(withA(alter(stuck, 'pm2_5', 820 + refill, 820 + refill + 1, (v) => v + 60)));

    expect(kinds(opened(early))).toEqual(['A flatline pm2_5']);
    expect(kinds(opened(judged))).toEqual(['A flatline pm2_5', 'A spike pm2_5']);
    expect(opened(judged)[1]?.window.start).toBe(iso(t(820 + refill)));
  });

  it('when out-of-range values come in a row, then they stay out of the spike window: the next spike is judged as on clean data', () => {
    const spiked = alter(sensorA, 'pm2_5', 600, 601, (v) => v + 12);
    const outputs = detect(withA(alter(spiked, 'pm2_5', 480, 590, () => 65535)));

    const found = kinds(opened(outputs));
    // One anomaly per out-of-range reading (minutes 480 to 589: 110), their sustained fault, and the spike judged on clean data.
    expect(new Set(found)).toEqual(new Set(['A out_of_range pm2_5', 'A repeated_out_of_range pm2_5', 'A spike pm2_5']));
    expect(found.filter((k) => k === 'A out_of_range pm2_5')).toHaveLength(110);
    expect(opened(outputs).find((a) => a.type === 'spike')).toMatchObject({ window: { start: iso(t(600)) } });
  });

  it('when the level steps up by 20 µg/m³, then one step from the first shifted reading, confirmed 29 readings later', () => {
    const outputs = detect(withA(alter(sensorA, 'pm2_5', 800, day, (v) => v + 20)));

    expect(kinds(opened(outputs))).toEqual(['A step pm2_5']);
    expect(opened(outputs)[0]).toMatchObject({
      window: { start: iso(t(800)), end: iso(t(800 + thresholds.stepReadings - 1)) },
      detected_at: iso(t(800 + thresholds.stepReadings - 1)),
    });
  });

  it('when a sensor misses 10 readings, then one dropout from the first missed one, known 1.5 intervals later', () => {
    const outputs = detect(withA(sensorA.filter((_, i) => i < 900 || i >= 910)));

    expect(kinds(opened(outputs))).toEqual(['A dropout']);
    expect(opened(outputs)[0]).toMatchObject({
      window: { start: iso(t(900)) },
      detected_at: iso(t(899) + 2.5 * minuteMs),
    });
    expect(opened(outputs)[0]?.measurement).toBeUndefined();
    expect(closed(outputs)[0]).toMatchObject({
      closedAt: iso(t(910)),
      anomaly: { window: { start: iso(t(900)), end: iso(t(909)) }, evidence: { missed_readings: 10 } },
    });
    expect(flagsOf(outputs, 'A')[900]).toMatchObject({ reading: sensorA[910], flags: [{ type: 'dropout' }] });
  });

  it('when a sensor misses one reading, then no dropout', () => {
    expect(opened(detect(withA(sensorA.filter((_, i) => i !== 900))))).toEqual([]);
  });
});

describe('DetectorState ordering and dropouts', () => {
  it('when readings arrive out of order within the lateness, then they are checked in event-time order with the same results', () => {
    const broken = alter(sensorA, 'pm2_5', 500, 501, (v) => v + 60);
    const shuffled = [...broken];
    for (let i = 0; i + 4 <= shuffled.length; i += 4) shuffled.splice(i, 4, ...shuffled.slice(i, i + 4).reverse());

    const inOrder = detect(broken);
    const outOfOrder = detect(shuffled);

    expect(outOfOrder).toEqual(inOrder);
    const checked = outOfOrder.flatMap((o) => (o.kind === 'reading' ? [msOf(o.reading)] : []));
    expect(checked).toEqual([...checked].sort((a, b) => a - b));
  });

  it('when a silent sensor is revealed by the watermark, then its dropout is the one its next reading would show', () => {
    const silentA = sensorA.filter((_, i) => i < 900 || i >= 960);
    const alone = detect(silentA);
    const detector = createDetectorState(thresholds);
    const stream = withA(silentA);
    const resumes = stream.findIndex((r) => r.sensor_id === 'A' && msOf(r) === t(960));

    const beforeResuming = detector.ingest(stream.slice(0, resumes));
    const afterwards = [...detector.ingest(stream.slice(resumes)), ...detector.drain()];

    expect(kinds(opened(beforeResuming))).toEqual(['A dropout']);
    expect(closed(beforeResuming)).toEqual([]);
    const ofA = (outputs: DetectorOutput[]) =>
      outputs.filter(
        (o) =>
          (o.kind === 'reading' ? o.reading.sensor_id : (o as { anomaly: SensorAnomaly }).anomaly.sensor_id) === 'A',
      );
    expect(ofA([...beforeResuming, ...afterwards])).toEqual(alone);
  });

  it('when a sensor keeps a fault open, then openAnomalies shows it with its window so far', () => {
    const frozen = sensorA[700]?.measurements.pm2_5 as number;
    const detector = createDetectorState(thresholds);
    detector.ingest(alter(sensorA, 'pm2_5', 700, 1000, () => frozen).slice(0, 800));

    const open = detector.openAnomalies();

    expect(kinds(open)).toEqual(['A flatline pm2_5']);
    const released = msOf(sensorA[799] as SensorReading) - thresholds.allowedLatenessSeconds * 1000;
    expect(open[0]?.window).toEqual({ start: iso(t(700)), end: iso(released) });
  });
});

describe('DetectorState rejections', () => {
  const first = sensorA.slice(0, 20);

  it('when a reading comes twice, before or after it is checked, then it is taken once and the copies are duplicates', () => {
    const detector = createDetectorState(thresholds);
    const outputs = [
      ...detector.ingest([...first, first[19] as SensorReading]),
      ...detector.drain(),
      ...detector.ingest([
        first[18] as SensorReading,
        { ...(first[19] as SensorReading), timestamp: iso(t(19)).replace('Z', '+00:00') },
      ]),
    ];

    expect(outputs.filter((o) => o.kind === 'reading')).toHaveLength(20);
    expect(
      outputs.filter((o) => o.kind === 'duplicate').map((o) => (o as { reading: SensorReading }).reading.timestamp),
    ).toEqual([first[19]?.timestamp, first[18]?.timestamp, iso(t(19)).replace('Z', '+00:00')]);
  });

  it('when a reading is older than the watermark minus the allowed lateness, then it is refused as too late', () => {
    const detector = createDetectorState(thresholds);
    detector.ingest(first);
    const lateness = thresholds.allowedLatenessSeconds * 1000;
    const justInTime = { ...(first[0] as SensorReading), sensor_id: 'B', timestamp: iso(t(19) - lateness) };
    const late = { ...(first[0] as SensorReading), sensor_id: 'B', timestamp: iso(t(19) - lateness - 1000) };

    const outputs = [...detector.ingest([late, justInTime]), ...detector.drain()];

    expect(rejections(outputs)).toEqual([
      {
        kind: 'rejected',
        reading: late,
        reason: 'too_late',
        detail: expect.stringContaining('allowed lateness (300 s)'),
      },
    ]);
    expect(outputs.filter((o) => o.kind === 'reading' && o.reading.sensor_id === 'B')).toEqual([
      { kind: 'reading', reading: justInTime, flags: [] },
    ]);
  });

  it('when a reading is too far ahead of the watermark while others report, then it is refused and leaves the watermark', () => {
    const detector = createDetectorState(thresholds);
    detector.ingest(first);
    const tolerance = thresholds.futureToleranceSeconds * 1000;
    const ahead = (ms: number) => ({ ...(first[0] as SensorReading), sensor_id: 'B', timestamp: iso(ms) });

    const outputs = detector.ingest([ahead(t(19) + tolerance + 1000), ahead(t(19) + tolerance)]);

    expect(rejections(outputs)).toEqual([
      expect.objectContaining({
        kind: 'rejected',
        reason: 'too_far_in_future',
        detail: expect.stringContaining('newest event time seen'),
      }),
    ]);
    expect(detector.watermark).toBe(iso(t(19) + tolerance));
  });

  it('when one sensor jumps an hour ahead while the others go on, then every reading of the jump is refused', () => {
    const hour = 60 * minuteMs;
    const inTime = withA(sensorA);
    const isFast = (r: SensorReading) => r.sensor_id === 'A' && msOf(r) >= t(300) && msOf(r) < t(360);
    // Arrival order stays that of the true times: only A's clock is wrong.
    const stream = inTime.map((r) => (isFast(r) ? { ...r, timestamp: iso(msOf(r) + hour) } : r));

    const outputs = detect(stream);

    expect(rejections(outputs).map((o) => o.reading)).toEqual(
      stream.filter((_, i) => isFast(inTime[i] as SensorReading)),
    );
    expect(rejections(outputs)).toHaveLength(60);
    expect(rejections(outputs).every((o) => o.reason === 'too_far_in_future')).toBe(true);
    expect(outputs.filter((o) => o.kind === 'reading')).toHaveLength(3 * day - 60);
  });

  it("when a sensor alone on its partition comes back after an hour, then its readings are taken: its clock is the partition's", () => {
    const outputs = detect(sensorA.filter((_, i) => i < 900 || i >= 960));

    expect(rejections(outputs)).toEqual([]);
    expect(kinds(opened(outputs))).toEqual(['A dropout']);
  });

  it('when a whole partition comes back after an hour, then only the first reading back is refused: the next corroborates the jump', () => {
    const silent = (i: number) => i >= 900 && i < 960;
    const stream = interleave(...[sensorA, ...others].map((series) => series.filter((_, i) => !silent(i))));

    const outputs = detect(stream);

    expect(rejections(outputs).map((o) => o.reading)).toEqual([stream[3 * 900]]);
    expect(kinds(opened(outputs))).toEqual(['A dropout', 'B dropout', 'C dropout']);
  });

  it('when the caller passes now, then the future is judged against now, even for the first reading', () => {
    const detector = createDetectorState(thresholds);
    const now = iso(t(0));
    const tolerance = thresholds.futureToleranceSeconds * 1000;
    const at = (ms: number) => ({ ...(first[0] as SensorReading), timestamp: iso(ms) });

    const outputs = detector.ingest([at(t(0) + tolerance + 1000), at(t(0) + tolerance)], { now });

    expect(rejections(outputs)).toEqual([
      expect.objectContaining({
        kind: 'rejected',
        reason: 'too_far_in_future',
        detail: expect.stringContaining(`ahead of now (${now})`),
      }),
    ]);
  });

  it('when the queue was drained, then a reading older than the last checked one of its sensor is too late', () => {
    const detector = createDetectorState(thresholds);
    detector.ingest([first[0] as SensorReading, first[5] as SensorReading]);
    detector.drain();

    expect(detector.ingest([first[3] as SensorReading])).toEqual([
      expect.objectContaining({
        kind: 'rejected',
        reason: 'too_late',
        detail: expect.stringContaining('already checked for A'),
      }),
    ]);
  });
});

describe('DetectorState snapshots', () => {
  it('when restored from a JSON snapshot mid-stream, then it continues exactly as the detector that never stopped', () => {
    const stream = withA(alter(sensorA, 'pm2_5', 500, 520, () => 30));
    const cut = 1503;
    const uninterrupted = detect(stream);
    const before = createDetectorState(thresholds);
    const first = before.ingest(stream.slice(0, cut));
    const stored = JSON.parse(JSON.stringify(before.snapshot()));
    const after = restoreDetectorState(stored, thresholds);

    expect([...first, ...after.ingest(stream.slice(cut)), ...after.drain()]).toEqual(uninterrupted);
    expect(stored.pending.length).toBeGreaterThan(0);
  });

  it('when a stored snapshot is unreadable, then restoring it fails with DETECTOR_SNAPSHOT', () => {
    const restore = () => restoreDetectorState({ schema: 'sensors.detector-state/v1', watermarkMs: 'x' }, thresholds);

    expect(restore).toThrow(AppError);
    expect(restore).toThrow(/unreadable detector snapshot/);
  });
});
