/**
 * The metrics a PromQL expression reads, for checking dashboards and alert rules against what the
 * processes serve. Not a PromQL parser: enough of the language for selectors. Strings, range and
 * subquery brackets, grouping label lists, Grafana variables and numbers are removed; every remaining
 * identifier that is not a function, an aggregation or a keyword is a metric, with the `job` its
 * selector names when it names exactly one.
 */
export interface MetricReference {
  name: string;
  job?: string;
}

const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'atan2',
  // Aggregations, which may take their grouping before the parenthesis: `sum by (le) (…)`.
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
  'inf',
  'nan',
]);

/** Metrics Prometheus makes itself for every target, which no process serves. */
export const scrapeMetrics = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

const token = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\$\{?\w+\}?|\d[\w.]*|([a-zA-Z_:][\w:]*)(\s*\{[^}]*\})?(\s*\()?|\S/g;

export function metricReferences(expr: string): MetricReference[] {
  const cleaned = expr
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1 ');
  const found: MetricReference[] = [];
  for (const match of cleaned.matchAll(token)) {
    const [, name, selector, call] = match;
    if (name === undefined || call !== undefined || keywords.has(name.toLowerCase())) continue;
    const job = selector === undefined ? undefined : /\bjob\s*=\s*"([^"]*)"/.exec(selector)?.[1];
    found.push(job === undefined ? { name } : { name, job });
  }
  return found;
}

/**
 * The label names an expression relies on: those its selectors match on and those its aggregations and
 * vector matches group by (`by`, `without`, `on`, `ignoring`, `group_left`/`group_right` lists). A name
 * the series do not carry selects nothing or groups everything into one, silently.
 */
export function labelReferences(expr: string): string[] {
  const cleaned = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const names = new Set<string>();
  for (const [, list = ''] of cleaned.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    for (const name of list.split(',')) if (name.trim() !== '') names.add(name.trim());
  }
  for (const [, matchers = ''] of cleaned.matchAll(/\{([^}]*)\}/g)) {
    for (const [, name = ''] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) names.add(name);
  }
  return [...names];
}

/** The family a series name belongs to: a histogram's or summary's `_bucket`, `_sum`, `_count` are its own. */
export function metricFamily(name: string): string {
  return name.replace(/_(bucket|sum|count)$/, '');
}

/**
 * Whether a scrape (Prometheus text format) serves `name`: as a sample, or as a family declared by a
 * `# TYPE` line (a histogram's `_bucket`/`_sum`/`_count` through its family). A declared family counts
 * without a sample: a labelled counter has none until its first event.
 */
export function scrapeServes(scrape: string, name: string): boolean {
  const declared = new Map<string, string>();
  const sampled = new Set<string>();
  for (const line of scrape.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) declared.set(type[1] as string, type[2] as string);
    else if (line !== '' && !line.startsWith('#')) sampled.add(/^[^{\s]+/.exec(line)?.[0] ?? '');
  }
  if (sampled.has(name) || declared.has(name)) return true;
  const family = metricFamily(name);
  return family !== name && ['histogram', 'summary'].includes(declared.get(family) ?? '');
}
