/**
 * Synthetic temperature and relative humidity, for sensors that report them: the bundled data has no
 * weather, and the detector only needs them to vary plausibly. A temperate mid-latitude climate (Lyon's
 * normals, roughly): a seasonal mean from 4 °C in mid-January to 22 °C in mid-July, a daily swing of ±5 °C
 * peaking at 15:00 local solar time, and humidity moving against temperature (high at dawn, low in the
 * afternoon). Pure functions of time and longitude: every sensor near a location sees the same weather.
 */

const dayMs = 86_400_000;

function dayOfYear(ms: number): number {
  const date = new Date(ms);
  return (ms - Date.UTC(date.getUTCFullYear(), 0, 1)) / dayMs;
}

/** Local solar hour: UTC hour plus 4 minutes per degree east. */
const solarHour = (ms: number, longitude: number) =>
  ((((ms % dayMs) + dayMs) % dayMs) / 3_600_000 + longitude / 15 + 24) % 24;

export function seasonalMeanTemperature(ms: number): number {
  // Coldest around 15 January (day 14), warmest half a year later.
  return 13 - 9 * Math.cos((2 * Math.PI * (dayOfYear(ms) - 14)) / 365.25);
}

export function airTemperature(ms: number, longitude: number): number {
  return seasonalMeanTemperature(ms) + 5 * Math.cos((2 * Math.PI * (solarHour(ms, longitude) - 15)) / 24);
}

export function relativeHumidity(ms: number, longitude: number): number {
  const swing = airTemperature(ms, longitude) - seasonalMeanTemperature(ms);
  return Math.min(98, Math.max(20, 72 - 3.5 * swing));
}
