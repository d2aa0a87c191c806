import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { parse, stringify } from 'yaml';
import { z } from 'zod';

import { ensurePrometheus, prometheusVersion, type PrometheusBinaries } from '../../stack/tools/prometheus';
import { alertRules, deployDir, promqlQueries, recordingRules } from '../support/monitoring-queries';
import { labelReferences, metricReferences } from '../support/promql-metrics';

import { testConfig, testPrometheusPort, testStateDir } from './test-env';

/**
 * The Prometheus release docker-compose deploys, built by the project (stack/tools/prometheus.ts), runs
 * deploy/prometheus's configuration over the test stack: the same jobs, intervals and alert rules, only the
 * targets moved from the compose network to the test ports. promtool checks the files as they are and runs
 * the rules' unit tests (alerts.test.yml); the running server must scrape all five processes, evaluate
 * every rule without an error, answer every PromQL query of the Grafana dashboards, and hold the labels
 * those queries select and group by.
 */
const run = promisify(execFile);
const config = testConfig();
const prometheusYml = path.join(deployDir, 'prometheus', 'prometheus.yml');
const alertsYml = path.join(deployDir, 'prometheus', 'alerts.yml');
const home = path.join(testStateDir, 'prometheus');
const url = `http://127.0.0.1:${String(testPrometheusPort)}`;

/** Where each job's process serves its metrics on the test stack. */
const testTargets: Record<string, string> = {
  api: new URL(config.api.url).host,
  worker: `${config.bindHost}:${String(config.metrics.workerPort)}`,
  trainer: `${config.bindHost}:${String(config.metrics.trainerPort)}`,
  stream: `${config.bindHost}:${String(config.metrics.streamPort)}`,
  detector: `${config.bindHost}:${String(config.metrics.detectorPort)}`,
};

interface DeployConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
}

/** deploy/prometheus/prometheus.yml with the test stack's targets and the rules file where it is in the repo. */
function testPrometheusConfig(): DeployConfig {
  const deployed = parse(readFileSync(prometheusYml, 'utf8')) as DeployConfig;
  return {
    ...deployed,
    rule_files: deployed.rule_files.map((file) => path.join(path.dirname(alertsYml), path.basename(file))),
    scrape_configs: deployed.scrape_configs.map((job) => {
      const target = testTargets[job.job_name];
      if (target === undefined) throw new Error(`no test target for the job ${job.job_name}`);
      return { ...job, static_configs: [{ targets: [target] }] };
    }),
  };
}

const seconds = (duration: string) => {
  const match = /^(\d+)([smh])$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
};

/**
 * A dashboard's query as Grafana sends it: `$__rate_interval` is max($__interval + scrape interval,
 * 4 × scrape interval), and $__interval is at least the scrape interval. A variable not listed here fails
 * the test, so a new one gets a value on purpose.
 */
function asGrafanaSends(expr: string, scrapeInterval: number): string {
  const values: Record<string, string> = {
    __rate_interval: `${String(4 * scrapeInterval)}s`,
    __interval: `${String(scrapeInterval)}s`,
    __range: '1h',
  };
  return expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the Grafana variable ${whole} in ${expr}`);
    return value;
  });
}

const apiAnswer = <T extends z.ZodType>(data: T) =>
  z.object({
    status: z.string(),
    data: data.optional(),
    errorType: z.string().optional(),
    error: z.string().optional(),
  });
const targetsAnswer = apiAnswer(
  z.object({
    activeTargets: z.array(
      z.object({ labels: z.record(z.string(), z.string()), health: z.string(), lastError: z.string() }),
    ),
  }),
);
const rulesAnswer = apiAnswer(
  z.object({
    groups: z.array(
      z.object({
        name: z.string(),
        rules: z.array(
          z.object({
            name: z.string(),
            type: z.string(),
            health: z.string(),
            lastError: z.string().optional(),
            lastEvaluation: z.string(),
            state: z.string().optional(),
          }),
        ),
      }),
    ),
  }),
);
const queryAnswer = apiAnswer(
  z.object({
    resultType: z.string(),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
);
const buildInfoAnswer = apiAnswer(z.object({ version: z.string() }));
const labelsAnswer = apiAnswer(z.array(z.string()));

async function api<T extends z.ZodType>(schema: T, route: string, form?: Record<string, string>): Promise<z.output<T>> {
  const response = await fetch(`${url}${route}`, form ? { method: 'POST', body: new URLSearchParams(form) } : {});
  return schema.parse(await response.json());
}

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${String(ms / 1000)} s; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

jest.setTimeout(180_000);

let binaries: PrometheusBinaries;
let server: ChildProcess | undefined;
let output = '';
let configFile: string;

beforeAll(async () => {
  // Built by the global setup beside the stack's start; on its own only when that failed (then it says why).
  binaries = await ensurePrometheus(config, (message) => console.log(`[prometheus] ${message}`));
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  configFile = path.join(home, 'prometheus.yml');
  writeFileSync(configFile, stringify(testPrometheusConfig()));
  server = spawn(
    binaries.prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(home, 'data')}`,
      `--web.listen-address=127.0.0.1:${String(testPrometheusPort)}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  await until(
    'Prometheus ready',
    () =>
      fetch(`${url}/-/ready`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200 || server?.exitCode !== null,
    30_000,
  );
  if (server.exitCode !== null) throw new Error(`Prometheus exited with ${String(server.exitCode)}:\n${output}`);
}, 30 * 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
});

describe('Prometheus over the test stack', () => {
  it("when promtool checks deploy/prometheus, then the configuration and the rules pass, lint included, and so do the rules' unit tests", async () => {
    const checks = [
      // As deployed, where the rules file is mounted at /etc/prometheus: the syntax only.
      ['check', 'config', '--syntax-only', prometheusYml],
      // The same file with its rules where they are here: everything, rule files included.
      ['check', 'config', '--lint=all', '--lint-fatal', configFile],
      ['check', 'rules', '--lint=all', '--lint-fatal', alertsYml],
      // Each alert over synthetic series, where it must fire and where it must not.
      ['test', 'rules', path.join(deployDir, 'prometheus', 'alerts.test.yml')],
    ];

    for (const args of checks) {
      const result = await run(binaries.promtool, args).then(
        ({ stdout }) => ({ ok: true, text: stdout }),
        (err: { stdout?: string; stderr?: string }) => ({ ok: false, text: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
      );
      expect({ args: args.join(' '), ...result }).toEqual({ args: args.join(' '), ok: true, text: expect.any(String) });
    }
  });

  it('when it runs, then it is the release docker-compose deploys', async () => {
    const info = await api(buildInfoAnswer, '/api/v1/status/buildinfo');

    expect(info.data?.version).toBe(prometheusVersion);
  });

  it('when it scrapes, then every job of the deployed configuration is up on the test stack', async () => {
    const answer = await until(
      'every target up',
      () => api(targetsAnswer, '/api/v1/targets?state=active'),
      (a) =>
        (a.data?.activeTargets.length ?? 0) === Object.keys(testTargets).length &&
        (a.data?.activeTargets ?? []).every((t) => t.health === 'up'),
    );

    const jobs = (answer.data?.activeTargets ?? []).map((t) => `${t.labels.job ?? ''} ${t.health} ${t.lastError}`);
    expect(jobs.sort()).toEqual(
      Object.keys(testTargets)
        .map((job) => `${job} up `)
        .sort(),
    );
  });

  it('when it evaluates the rules, then every alert and recording rule of alerts.yml is loaded and evaluates without an error', async () => {
    const answer = await until(
      'every rule evaluated',
      () => api(rulesAnswer, '/api/v1/rules'),
      (a) => (a.data?.groups ?? []).flatMap((g) => g.rules).every((r) => !r.lastEvaluation.startsWith('0001-')),
    );

    const rules = (answer.data?.groups ?? []).flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual(
      [...alertRules().map((r) => r.alert), ...recordingRules().map((r) => r.record)].sort(),
    );
    expect(rules.filter((r) => r.type === 'recording').map((r) => r.name)).toHaveLength(recordingRules().length);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual(
      [],
    );
    // Every process answers its scrapes, so the rule watching for one that does not stays quiet.
    expect(rules.find((r) => r.name === 'ProcessDown')?.state).toBe('inactive');
  });

  it("when a dashboard's PromQL is sent as Grafana sends it, then Prometheus answers it, and up counts the five jobs", async () => {
    const scrapeInterval = seconds(testPrometheusConfig().global.scrape_interval);
    const queries = promqlQueries().filter((q) => !q.where.startsWith('alerts.yml'));

    const failed: string[] = [];
    for (const query of queries) {
      const answer = await api(queryAnswer, '/api/v1/query', { query: asGrafanaSends(query.text, scrapeInterval) });
      if (answer.status !== 'success') failed.push(`${query.where}: ${answer.errorType ?? ''} ${answer.error ?? ''}`);
    }
    const up = await api(queryAnswer, '/api/v1/query', { query: 'up{job=~"api|worker|trainer|stream|detector"}' });

    expect(queries.length).toBeGreaterThanOrEqual(40);
    expect(failed).toEqual([]);
    expect(up.data?.result.map((r) => `${r.metric.job ?? ''}=${r.value[1]}`).sort()).toEqual(
      Object.keys(testTargets)
        .map((job) => `${job}=1`)
        .sort(),
    );
  });

  it('when a query selects or groups by a label, then the series of its metrics carry that label', async () => {
    const labelsOf = new Map<string, string[]>();
    for (const name of new Set(promqlQueries().flatMap((q) => metricReferences(q.text).map((ref) => ref.name)))) {
      const answer = await api(labelsAnswer, '/api/v1/labels', { 'match[]': `{__name__="${name}"}` });
      labelsOf.set(name, answer.data ?? []);
    }

    const queries = promqlQueries().map((query) => ({
      query,
      carried: metricReferences(query.text).map((ref) => labelsOf.get(ref.name) ?? []),
    }));
    // A metric with no series yet (a labelled counter before its first event) may be the one with the label.
    const checkable = queries.filter(({ carried }) => carried.every((labels) => labels.length > 0));
    const missing = checkable.flatMap(({ query, carried }) =>
      labelReferences(query.text)
        .filter((label) => !carried.some((labels) => labels.includes(label)))
        .map((label) => `${query.where}: ${label}`),
    );

    expect(checkable.length).toBeGreaterThanOrEqual(30);
    expect(missing).toEqual([]);
  });
});
