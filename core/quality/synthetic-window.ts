import { hourMs, isoHour, type QualityInput, type QualityRow } from './context';
import type { QualityCheck, QualityCheckName, QualityReport, QualityStatus } from './report';

/**
 * A synthetic window that passes every quality check: 2 locations × 48 hours of plausible values with a
 * daily cycle and hour-to-hour noise (so no value repeats), UV at 0 through the night (the exempt kind of
 * repetition), and a reported index that is the computed one rounded, as integer exports do. Tests inject
 * one fault at a time into it; demos can use it as a known-good window.
 */

export const syntheticWindow = { start: '2024-03-01T00:00:00Z', end: '2024-03-03T00:00:00Z' };
export const syntheticLocations = ['paris', 'lyon'];
export const syntheticHours = 48;

/** The start of hour `h` of the window. */
export const syntheticHour = (h: number): string => isoHour(Date.parse(syntheticWindow.start) + h * hourMs);

const round2 = (x: number): number => Math.round(x * 100) / 100;

function syntheticRow(locationId: string, k: number, h: number): QualityRow {
  const hourOfDay = h % 24;
  const daily = Math.sin((2 * Math.PI * (hourOfDay - 8)) / 24);
  const pm2_5 = round2(9 + 4 * daily + 1.3 * k + 0.05 * h + 0.7 * Math.sin(1.7 * h));
  const daylight = hourOfDay >= 7 && hourOfDay <= 17;
  const computed = round2(2 * pm2_5 + 1.3);
  return {
    locationId,
    observedAt: syntheticHour(h),
    values: {
      pm2_5,
      pm10: round2(1.6 * pm2_5 + 2 + 0.5 * Math.cos(1.3 * h)),
      carbon_monoxide: round2(180 + 40 * daily + 10 * k + 3 * Math.sin(2.1 * h)),
      sulphur_dioxide: round2(1.5 + 0.8 * Math.abs(Math.sin(0.9 * h + k)) + 0.01 * h),
      // NO2 and O3 too, as a full export carries them: the index comparison needs every input of the index.
      nitrogen_dioxide: round2(18 + 9 * daily + 2 * k + 0.9 * Math.sin(1.1 * h)),
      ozone: round2(55 - 20 * daily + 3 * k + 1.1 * Math.cos(0.7 * h)),
      uv_index: daylight ? round2(6 * Math.sin((Math.PI * (hourOfDay - 6)) / 12)) : 0,
    },
    reportedEuropeanAqi: Math.round(computed),
    computedEuropeanAqi: computed,
  };
}

/** Fresh rows on every call, so a test may mutate them freely. */
export function syntheticRows(): QualityRow[] {
  return syntheticLocations.flatMap((id, k) =>
    Array.from({ length: syntheticHours }, (_, h) => syntheticRow(id, k, h)),
  );
}

/** The clean window as checked right at its end: the window reaches now and its last hour is in. */
export function syntheticInput(rows: QualityRow[] = syntheticRows()): QualityInput {
  return { window: { ...syntheticWindow }, now: syntheticWindow.end, locationIds: [...syntheticLocations], rows };
}

/** The row of `locationId` at hour `h`, to inject a fault into. */
export function syntheticRowAt(rows: QualityRow[], locationId: string, h: number): QualityRow {
  const row = rows.find((r) => r.locationId === locationId && r.observedAt === syntheticHour(h));
  if (row === undefined) throw new Error(`no row for ${locationId} at hour ${h}`);
  return row;
}

/** The checks that did not pass, by name: `{}` for a clean window, `{ nulls: 'warn' }` for one fault. */
export function unpassedChecks(report: QualityReport): Partial<Record<QualityCheckName, QualityStatus>> {
  return Object.fromEntries(report.checks.filter((c) => c.status !== 'pass').map((c) => [c.name, c.status]));
}

export function checkNamed(report: QualityReport, name: QualityCheckName): QualityCheck {
  const check = report.checks.find((c) => c.name === name);
  if (check === undefined) throw new Error(`the report has no ${name} check`);
  return check;
}
