import { labelReferences, metricFamily, metricReferences, scrapeServes } from './promql-metrics';

describe('metricReferences', () => {
  it('when an expression aggregates a rate over a histogram, then only the bucket series is a metric', () => {
    const refs = metricReferences(
      'histogram_quantile(0.95, sum by (le, route) (rate(aqi_api_request_duration_seconds_bucket[$__rate_interval])))',
    );

    expect(refs).toEqual([{ name: 'aqi_api_request_duration_seconds_bucket' }]);
  });

  it('when selectors carry labels, offsets, binary operators and on/ignoring lists, then each metric is found once, with its job', () => {
    const refs = metricReferences(
      'sum(increase(a_total{event="opened", job="worker"}[15m])) > 3 * sum(increase(a_total{job=~"x|y"}[6h] offset 15m)) / 24 ' +
        'and on (model, version) b_hours >= 72 unless ignoring(job) c{label="sum(d)"}',
    );

    expect(refs).toEqual([{ name: 'a_total', job: 'worker' }, { name: 'a_total' }, { name: 'b_hours' }, { name: 'c' }]);
  });

  it('when an expression has no metric, then nothing is found', () => {
    expect(metricReferences('vector(1) + 2.5e3')).toEqual([]);
  });
});

describe('labelReferences', () => {
  it('when an expression selects, groups and matches on labels, then each label name is found once, strings ignored', () => {
    const labels = labelReferences(
      'histogram_quantile(0.95, sum by (le, route) (rate(x_bucket{status=~"5..", job!="a"}[5m]))) ' +
        'and on (model, version) group_left(alias) y{label="by (fake) {z=1}"} unless ignoring(route) z',
    );

    expect(labels.sort()).toEqual(['alias', 'job', 'label', 'le', 'model', 'route', 'status', 'version']);
  });

  it('when an expression names no label, then nothing is found', () => {
    expect(labelReferences('sum(rate(x_total[$__rate_interval])) / 2')).toEqual([]);
  });
});

describe('metricFamily and scrapeServes', () => {
  const scrape = [
    '# HELP h_seconds latency',
    '# TYPE h_seconds histogram',
    'h_seconds_bucket{le="1"} 1',
    '# TYPE labelled_total counter',
    'plain_total 3',
  ].join('\n');

  it('when a histogram series is asked for, then its family answers', () => {
    expect(metricFamily('h_seconds_count')).toBe('h_seconds');
    expect(metricFamily('records_total')).toBe('records_total');
    expect(scrapeServes(scrape, 'h_seconds_sum')).toBe(true);
  });

  it('when a family is declared without a sample, then it is served; when it is absent, then not', () => {
    expect(scrapeServes(scrape, 'labelled_total')).toBe(true);
    expect(scrapeServes(scrape, 'plain_total')).toBe(true);
    expect(scrapeServes(scrape, 'missing_total')).toBe(false);
    expect(scrapeServes(scrape, 'labelled_total_count')).toBe(false);
  });
});
