import { Gauge, type Registry } from 'prom-client';

/**
 * Gauges whose values are rows read at scrape time (from PostgreSQL): one read serves every gauge of a
 * scrape (the first gauge collected reads, the others reuse it), and a failed read shows no series rather
 * than failing the scrape. Returns `gauge(name, help, value)`: the series of each row is `labelsOf(row)`.
 */
export function scrapeReadGauges<Row, L extends string>(
  registry: Registry,
  options: { read: () => Promise<Row[]>; labelNames: readonly L[]; labelsOf: (row: Row) => Record<L, string> },
) {
  let read: Promise<Row[]> | undefined;
  const rows = () => {
    read ??= options
      .read()
      .catch(() => [])
      .finally(() => setImmediate(() => (read = undefined)));
    return read;
  };
  return (name: string, help: string, value: (row: Row) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: options.labelNames,
      registers: [registry],
      aggregator: 'max',
      async collect() {
        this.reset();
        for (const row of await rows()) {
          const v = value(row);
          if (v !== undefined) this.set(options.labelsOf(row), v);
        }
      },
    });
}
