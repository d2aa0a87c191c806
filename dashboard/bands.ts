import type { EaqiBand } from '../core/air-quality/european-aqi';

/** The European AQI bands as drawn: each covers 20 index points, "extremely poor" everything above 100. */
export const bandColours: readonly { band: EaqiBand; from: number; to: number; colour: string }[] = [
  { band: 'good', from: 0, to: 20, colour: '#50f0e6' },
  { band: 'fair', from: 20, to: 40, colour: '#50ccaa' },
  { band: 'moderate', from: 40, to: 60, colour: '#f0e641' },
  { band: 'poor', from: 60, to: 80, colour: '#ff5050' },
  { band: 'very poor', from: 80, to: 100, colour: '#960032' },
  { band: 'extremely poor', from: 100, to: Infinity, colour: '#7d2181' },
];

export const bandClass = (band: string | null | undefined) => `band band-${(band ?? 'none').replace(/ /g, '-')}`;
