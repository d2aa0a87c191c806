import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

/**
 * What Prometheus and Grafana are told to query (deploy/): every PromQL expression of the recording and
 * alert rules and of the dashboards' Prometheus panels, and every SQL of their PostgreSQL panels, each with where it is.
 */
export const deployDir = path.resolve(__dirname, '..', '..', 'deploy');
export const dashboardsDir = path.join(deployDir, 'grafana', 'dashboards');

export interface Query {
  /** `alerts.yml: <alert>` or `<dashboard file>: <panel title>`. */
  where: string;
  text: string;
}

interface Panel {
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; rawSql?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function readYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8'));
}

export interface RecordingRule {
  record: string;
  expr: string;
}

function rulesFile(): (AlertRule | RecordingRule)[] {
  const rules = readYaml(path.join(deployDir, 'prometheus', 'alerts.yml')) as {
    groups: { rules: (AlertRule | RecordingRule)[] }[];
  };
  return rules.groups.flatMap((group) => group.rules);
}

export function alertRules(): AlertRule[] {
  return rulesFile().filter((rule): rule is AlertRule => 'alert' in rule);
}

/** The series Prometheus records itself from the processes' metrics (no process serves them). */
export function recordingRules(): RecordingRule[] {
  return rulesFile().filter((rule): rule is RecordingRule => 'record' in rule);
}

export function dashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(path.join(dashboardsDir, file), 'utf8')) as Dashboard,
    }));
}

/** Every panel, rows' panels included. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

export function promqlQueries(): Query[] {
  const fromRecords = recordingRules().map((rule) => ({ where: `alerts.yml: ${rule.record}`, text: rule.expr }));
  const fromAlerts = alertRules().map((rule) => ({ where: `alerts.yml: ${rule.alert}`, text: rule.expr }));
  const fromDashboards = dashboards().flatMap(({ file, dashboard }) =>
    panelsOf(dashboard).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => target.expr !== undefined)
        .map((target) => ({ where: `${file}: ${panel.title ?? '(untitled)'}`, text: target.expr as string })),
    ),
  );
  return [...fromRecords, ...fromAlerts, ...fromDashboards];
}

export function sqlQueries(): Query[] {
  return dashboards().flatMap(({ file, dashboard }) =>
    panelsOf(dashboard).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => target.rawSql !== undefined)
        .map((target) => ({ where: `${file}: ${panel.title ?? '(untitled)'}`, text: target.rawSql as string })),
    ),
  );
}
