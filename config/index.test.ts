import { readFileSync } from 'node:fs';
import path from 'node:path';

import { AppError } from '../core/errors';

import { variables } from './variables';

import { loadConfig } from './index';

describe('loadConfig', () => {
  it('when nothing is set, then the documented defaults build the local-stack addresses', () => {
    const config = loadConfig({});

    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'aqi',
      uiUrl: 'http://127.0.0.1:8233',
    });
    expect(config.postgres.url).toBe('postgresql://aqi:aqi@127.0.0.1:5432/aqi');
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.mlflow.url).toBe('http://127.0.0.1:5000');
    expect(config.api.url).toBe('http://127.0.0.1:8000');
  });

  it('when ports change, then derived addresses follow unless given explicitly', () => {
    const config = loadConfig({
      POSTGRES_PORT: '15432',
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
      MLFLOW_TRACKING_URI: 'http://mlflow:5000/',
    });

    expect(config.postgres.url).toBe('postgresql://aqi:aqi@127.0.0.1:15432/aqi');
    expect(config.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.mlflow.url).toBe('http://mlflow:5000');
  });

  it('when values are invalid, then one error names every bad variable and what was expected', () => {
    const error = (() => {
      try {
        loadConfig({ POSTGRES_PORT: 'five', LOG_LEVEL: 'loud', KAFKA_HEAP: '2 gigs' });
      } catch (err) {
        return err;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    const message = (error as Error).message;
    expect(message).toMatch(/POSTGRES_PORT="five": .*number/);
    expect(message).toMatch(/LOG_LEVEL="loud": .*(fatal|info)/);
    expect(message).toMatch(/KAFKA_HEAP="2 gigs": a JVM size/);
  });

  it('when a secret is invalid, then the error names the variable but never echoes its value', () => {
    const keys = 'ops:s3cret-api-key-value:deploy';
    const error = (() => {
      try {
        loadConfig({ API_KEYS: keys, POSTGRES_PORT: 'five' });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();

    expect(error?.message).toMatch(/API_KEYS=<31 characters, not shown>: name:key:permission/);
    expect(error?.message).not.toContain('s3cret-api-key-value');
    expect(error?.message).toMatch(/POSTGRES_PORT="five"/);
  });

  it('when the abuse limits are set, then the API gets them in requests per window and milliseconds', () => {
    expect(loadConfig({}).api).toMatchObject({
      mutationRateLimit: { limit: 60, windowMs: 60_000 },
      reloadMinIntervalMs: 5000,
    });
    expect(loadConfig({ API_MUTATION_RATE_LIMIT: '5/s', RELOAD_MIN_INTERVAL: '0s' }).api).toMatchObject({
      mutationRateLimit: { limit: 5, windowMs: 1000 },
      reloadMinIntervalMs: 0,
    });
    expect(() => loadConfig({ API_MUTATION_RATE_LIMIT: '0/min' })).toThrow(/API_MUTATION_RATE_LIMIT="0\/min"/);
  });

  it('when the retraining variables are left out or set, then the policy has their values and the cooldown in milliseconds', () => {
    expect(loadConfig({}).retraining).toEqual({
      maeMargin: 0.25,
      minHours: 72,
      driftWindows: 3,
      cooldownMs: 7 * 86_400_000,
    });
    expect(loadConfig({ RETRAIN_MAE_MARGIN: '0.1', RETRAIN_COOLDOWN: '12h' }).retraining).toMatchObject({
      maeMargin: 0.1,
      cooldownMs: 12 * 3_600_000,
    });
    expect(() => loadConfig({ RETRAIN_COOLDOWN: 'a week' })).toThrow(/RETRAIN_COOLDOWN="a week": a duration/);
    expect(() => loadConfig({ RETRAIN_DRIFT_WINDOWS: '0' })).toThrow(/RETRAIN_DRIFT_WINDOWS="0"/);
  });

  it('when a variable is set to an empty string, then its default applies', () => {
    expect(loadConfig({ TEMPORAL_NAMESPACE: '' }).temporal.namespace).toBe('aqi');
  });
});

describe('.env.example', () => {
  const [platformPart = '', composePart = ''] = readFileSync(
    path.resolve(__dirname, '..', '.env.example'),
    'utf8',
  ).split('# --- docker-compose only');
  const documented = (text: string) =>
    new Map(
      text
        .split('\n')
        .map((line) => /^#? ?([A-Z][A-Z0-9_]+)=(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] as string, m[2] as string]),
    );

  it('when compared with the config schema, then it documents every variable with its default and nothing else', () => {
    const platform = documented(platformPart);

    expect([...platform.keys()].sort()).toEqual(Object.keys(variables).sort());
    for (const [name, spec] of Object.entries(variables)) {
      expect([name, platform.get(name)]).toEqual([name, spec.defaultValue ?? '']);
    }
  });

  it('when compared with docker-compose.yml, then every compose-only variable it documents is used there', () => {
    const compose = readFileSync(path.resolve(__dirname, '..', 'docker-compose.yml'), 'utf8');
    const names = [...documented(composePart).keys()];

    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect([name, compose.includes(`\${${name}`)]).toEqual([name, true]);
  });
});
