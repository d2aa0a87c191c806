import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { variables } from '../config/variables';
import { prometheusVersion } from '../stack/tools/prometheus';

import {
  alertRules,
  dashboards,
  deployDir,
  panelsOf,
  promqlQueries,
  readYaml,
  recordingRules,
  sqlQueries,
} from './support/monitoring-queries';
import { metricReferences } from './support/promql-metrics';

/**
 * No Docker engine runs here, so the compose side of the Prometheus and Grafana configuration (deploy/) is
 * checked statically: it parses, Prometheus scrapes each process at the port its configuration defaults to,
 * every panel uses a provisioned data source, every query names something. That the metrics exist is
 * checked against the real processes by test/integration/metrics.test.ts, and test/integration/prometheus.test.ts
 * runs the same Prometheus release over them with these rules and the dashboards' queries.
 */
const repoRoot = path.resolve(__dirname, '..');

interface ScrapeConfig {
  job_name: string;
  static_configs: { targets: string[] }[];
}

const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; volumes?: string[] }>;
};

describe('deploy/prometheus', () => {
  it('when compose deploys Prometheus, then it is the release the integration tests build and run', () => {
    expect(compose.services.prometheus?.image).toBe(`prom/prometheus:v${prometheusVersion}`);
  });

  it('when Prometheus scrapes, then each process is a job at the metrics port its configuration defaults to', () => {
    const config = readYaml(path.join(deployDir, 'prometheus', 'prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: ScrapeConfig[];
    };

    const targets = Object.fromEntries(
      config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]),
    );

    expect(targets).toEqual({
      api: [`api:${variables.API_PORT.defaultValue}`],
      worker: [`worker:${variables.WORKER_METRICS_PORT.defaultValue}`],
      trainer: [`trainer:${variables.TRAINER_METRICS_PORT.defaultValue}`],
      detector: [`sensor-detector:${variables.DETECTOR_METRICS_PORT.defaultValue}`],
      stream: [`stream-processor:${variables.STREAM_METRICS_PORT.defaultValue}`],
    });
    for (const target of Object.values(targets).flat()) {
      expect(compose.services).toHaveProperty([target.split(':')[0] as string]);
    }
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(compose.services.prometheus?.volumes).toContain(
      './deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
    );
  });

  it('when an alert rule is read, then it has a name, a severity, a summary and an expression over some metric', () => {
    const rules = alertRules();

    const incomplete = rules.filter(
      (rule) =>
        !/^[A-Z][A-Za-z]+$/.test(rule.alert) ||
        !['info', 'warning', 'critical'].includes(rule.labels?.severity ?? '') ||
        (rule.annotations?.summary ?? '') === '' ||
        metricReferences(rule.expr).length === 0,
    );

    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(incomplete.map((rule) => rule.alert)).toEqual([]);
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
  });

  it('when a recording rule is read, then its name is level:metric:operations over a metric, and some query reads it', () => {
    const records = recordingRules();
    const read = new Set(
      promqlQueries()
        .filter((query) => !records.some((rule) => query.where === `alerts.yml: ${rule.record}`))
        .flatMap((query) => metricReferences(query.text).map((ref) => ref.name)),
    );

    const malformed = records.filter(
      (rule) => !/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/.test(rule.record) || metricReferences(rule.expr).length === 0,
    );

    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(malformed.map((rule) => rule.record)).toEqual([]);
    expect(records.map((rule) => rule.record).filter((name) => !read.has(name))).toEqual([]);
  });

  it("when a query counts a Temporal SDK counter over a window, then it reads a recording rule (which counts a series' first event)", () => {
    const records = new Set(recordingRules().map((rule) => `alerts.yml: ${rule.record}`));

    const direct = promqlQueries()
      .filter((query) => !records.has(query.where))
      .filter((query) => /\b(?:increase|rate)\s*\(\s*temporal_\w+_total\b/.test(query.text))
      .map((query) => query.where);

    expect(direct).toEqual([]);
  });
});

describe('deploy/grafana', () => {
  const datasources = (
    readYaml(path.join(deployDir, 'grafana', 'provisioning', 'datasources', 'datasources.yml')) as {
      datasources: { uid: string; type: string }[];
    }
  ).datasources;

  it('when dashboards are provisioned, then the five exist with their own uids and the provider reads their mount', () => {
    const provider = readYaml(path.join(deployDir, 'grafana', 'provisioning', 'dashboards', 'dashboards.yml')) as {
      providers: { options: { path: string } }[];
    };

    const uids = dashboards().map(({ dashboard }) => dashboard.uid);

    expect(uids.sort()).toEqual(['aqi-anomalies', 'aqi-by-location', 'aqi-models', 'aqi-service-health', 'aqi-stream']);
    expect(compose.services.grafana?.volumes).toContain(
      `./deploy/grafana/dashboards:${provider.providers[0]?.options.path ?? ''}:ro`,
    );
  });

  it('when a panel queries, then it uses a provisioned data source of the query language it speaks', () => {
    const typeOf = new Map(datasources.map((d) => [d.uid, d.type]));

    const wrong = dashboards().flatMap(({ file, dashboard }) =>
      panelsOf(dashboard).flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) => {
          const type = typeOf.get(target.datasource?.uid ?? panel.datasource?.uid ?? '');
          const ok = target.expr !== undefined ? type === 'prometheus' : type === 'grafana-postgresql-datasource';
          return ok ? [] : [`${file}: ${panel.title ?? ''}`];
        }),
      ),
    );

    expect(datasources.map((d) => d.type).sort()).toEqual(['grafana-postgresql-datasource', 'prometheus']);
    expect(wrong).toEqual([]);
  });

  it('when a query is read, then PromQL names a metric and SQL reads only tables the migrations create', () => {
    const migrations = readdirSync(path.join(repoRoot, 'db', 'migrations'))
      .map((file) => readFileSync(path.join(repoRoot, 'db', 'migrations', file), 'utf8'))
      .join('\n');
    const created = new Set([...migrations.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)].map((m) => m[1]));

    const withoutMetric = promqlQueries().filter((q) => metricReferences(q.text).length === 0);
    const unknownTables = sqlQueries().flatMap((q) =>
      [...q.text.matchAll(/\b(?:FROM|JOIN)\s+(\w+)/gi)]
        .map((m) => m[1] as string)
        .filter((table) => !created.has(table))
        .map((table) => `${q.where}: ${table}`),
    );

    expect(withoutMetric).toEqual([]);
    expect(sqlQueries().length).toBeGreaterThanOrEqual(2);
    expect(unknownTables).toEqual([]);
  });
});
