/** The doctor's vocabulary: one check per dependency, and the report that sums them up. */
export type Dependency = 'postgres' | 'kafka' | 'mlflow' | 'temporal';

export interface DependencyCheck {
  dependency: Dependency;
  ok: boolean;
  /** What was checked and what came back, or why it failed. */
  detail: string;
  latencyMs: number;
}

export interface DoctorReport {
  healthy: boolean;
  checkedAt: string;
  checks: DependencyCheck[];
}

export const dependencies: readonly Dependency[] = ['postgres', 'kafka', 'mlflow', 'temporal'];

export function summarizeChecks(checks: DependencyCheck[], checkedAt: string): DoctorReport {
  const ordered = [...checks].sort((a, b) => dependencies.indexOf(a.dependency) - dependencies.indexOf(b.dependency));
  return { healthy: ordered.length > 0 && ordered.every((c) => c.ok), checkedAt, checks: ordered };
}

/** A fixed-width table for terminals: one line per dependency, then the verdict. */
export function formatReport(report: DoctorReport): string {
  const lines = report.checks.map(
    (c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.dependency.padEnd(9)} ${String(c.latencyMs).padStart(6)} ms  ${c.detail}`,
  );
  return [...lines, `  => ${report.healthy ? 'healthy' : 'UNHEALTHY'} (checked at ${report.checkedAt})`].join('\n');
}
