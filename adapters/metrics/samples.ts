/**
 * The samples of a Prometheus text exposition (format 0.0.4), for scrapes by the bench and the tests:
 * `name{label="value",…} value`, comments skipped. Written here because the one npm parser of the format
 * (parse-prometheus-text-format 1.1.1) merges the series of a labelled histogram into one, losing their
 * labels, sums and counts, which are what these scrapes read.
 */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

export function parseMetricSamples(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const [, name, labelText = '', value] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    labelPair.lastIndex = 0;
    let consumed = 0;
    for (let pair = labelPair.exec(labelText); pair !== null; pair = labelPair.exec(labelText)) {
      labels[pair[1] as string] = unescape(pair[2] as string);
      consumed = labelPair.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`unreadable labels in: ${line}`);
    samples.push({ name, labels, value: parseValue(value) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when there is none). */
export function sampleSum(samples: readonly MetricSample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
