import { formatReport, summarizeChecks, type DependencyCheck } from './doctor';

const check = (dependency: DependencyCheck['dependency'], ok: boolean): DependencyCheck => ({
  dependency,
  ok,
  detail: ok ? 'answered' : 'connection refused',
  latencyMs: 12,
});

describe('doctor report', () => {
  it('when every check passed, then the report is healthy and ordered by dependency', () => {
    const report = summarizeChecks(
      [check('temporal', true), check('postgres', true), check('mlflow', true), check('kafka', true)],
      '2024-01-01T00:00:00.000Z',
    );

    expect(report.healthy).toBe(true);
    expect(report.checks.map((c) => c.dependency)).toEqual(['postgres', 'kafka', 'mlflow', 'temporal']);
  });

  it('when one check failed, then the report is unhealthy and the table shows which', () => {
    const report = summarizeChecks([check('postgres', true), check('kafka', false)], '2024-01-01T00:00:00.000Z');

    expect(report.healthy).toBe(false);
    expect(formatReport(report)).toMatch(/FAIL\s+kafka\s+12 ms\s+connection refused/);
    expect(formatReport(report)).toContain('UNHEALTHY');
  });

  it('when there are no checks, then the report is not healthy', () => {
    expect(summarizeChecks([], '2024-01-01T00:00:00.000Z').healthy).toBe(false);
  });
});
