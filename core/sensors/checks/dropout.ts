/**
 * Dropout (QARTOD gap test): a sensor silent for more than `dropoutIntervals` expected intervals, judged
 * by event time only, so a replay at any speed finds the same dropouts. The same fault is found two ways,
 * and both give it the same start (the first missed reading) and the same detection time (the event time
 * at which the silence became too long), so the anomaly does not depend on which way noticed it:
 * - the sensor's next reading arrives after a gap (`isDropoutGap`);
 * - the partition's watermark shows that no reading can fill the gap any more (`silentSensors`): once the
 *   watermark minus the allowed lateness is past the deadline, a reading in the gap would be refused as late.
 */
export interface DropoutLimits {
  expectedIntervalMs: number;
  dropoutIntervals: number;
  allowedLatenessMs: number;
}

/** The event time at which silence after `lastMs` becomes a dropout. */
export function dropoutDeadline(lastMs: number, limits: DropoutLimits): number {
  return lastMs + limits.dropoutIntervals * limits.expectedIntervalMs;
}

/** The first reading the sensor missed: where the dropout starts. */
export function dropoutStart(lastMs: number, limits: DropoutLimits): number {
  return lastMs + limits.expectedIntervalMs;
}

export function isDropoutGap(previousMs: number, nextMs: number, limits: DropoutLimits): boolean {
  return nextMs > dropoutDeadline(previousMs, limits);
}

export interface SilentSensor {
  sensorId: string;
  lastSeenMs: number;
  startMs: number;
  detectedMs: number;
}

/**
 * The sensors whose silence is already a dropout at `watermarkMs` (the newest event time seen on the
 * partition), in sensor id order. Sensors already known to be in a dropout are the caller's to leave out.
 */
export function silentSensors(
  sensors: Iterable<{ sensorId: string; lastSeenMs: number }>,
  watermarkMs: number,
  limits: DropoutLimits,
): SilentSensor[] {
  const settled = watermarkMs - limits.allowedLatenessMs;
  const silent: SilentSensor[] = [];
  for (const { sensorId, lastSeenMs } of sensors) {
    if (settled > dropoutDeadline(lastSeenMs, limits)) {
      silent.push({
        sensorId,
        lastSeenMs,
        startMs: dropoutStart(lastSeenMs, limits),
        detectedMs: dropoutDeadline(lastSeenMs, limits),
      });
    }
  }
  return silent.sort((a, b) => (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
}
