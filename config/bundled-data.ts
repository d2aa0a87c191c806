import path from 'node:path';

/**
 * The real Open-Meteo exports shipped in `data/open-meteo/` (Air quality data by Open-Meteo.com (CAMS),
 * CC BY 4.0): the replay server's default folder and the data of the tests and benchmarks.
 */
export const bundledDataDir = path.resolve(__dirname, '..', 'data', 'open-meteo');

export const bundledExports = {
  /** Lyon's grid cell, every hour of 2024 (8,784 rows), Open-Meteo's own CSV export layout. */
  lyon2024: path.join(bundledDataDir, 'lyon-2024-hourly.csv'),
  /** Paris, Marseille and Lyon, 2025-06-01 .. 02 (48 hours each), a flat pandas CSV. */
  threeCities2025: path.join(bundledDataDir, 'paris-marseille-lyon-2025-06-01.csv'),
} as const;
