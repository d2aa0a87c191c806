import { type z } from 'zod';

import { isoHour } from '../training/request';
import { crossField } from '../validation';

const hourMs = 3600_000;

/** The `from` and `to` of a window [from, to) of whole UTC hours, as the dashboard's read routes take them. */
export const windowShape = {
  from: isoHour.describe('First hour of the window (ISO UTC hour)'),
  to: isoHour.describe("The hour after the window's last (ISO UTC hour)"),
};

/**
 * The rules between `from` and `to`: in order, and at most `maxDays` apart (a year of hours for a timeline;
 * what one request may cost for a backtest). Rules between two fields: the API answers them 422, not 400.
 */
export function withWindowRules<T extends z.ZodType<{ from: string; to: string }>>(schema: T, maxDays: number) {
  return schema
    .refine((w) => w.from < w.to, { message: 'to must be after from', path: ['to'], params: crossField })
    .refine((w) => Date.parse(w.to) - Date.parse(w.from) <= maxDays * 24 * hourMs, {
      message: `the window spans at most ${maxDays} days`,
      path: ['to'],
      params: crossField,
    });
}
