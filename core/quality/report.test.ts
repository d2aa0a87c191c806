import { assessQuality } from './assess';
import { buildContext } from './context';
import { qualityReport, sampleLimit, ViolationLog } from './report';
import { syntheticInput, syntheticRows } from './synthetic-window';

describe('qualityReport', () => {
  it('when a report goes through JSON (jsonb, a Temporal payload), then it parses back unchanged', () => {
    const rows = syntheticRows();
    const first = rows[0];
    if (first) first.values.pm10 = 900;
    const report = assessQuality(syntheticInput(rows));

    expect(qualityReport.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('when a stored verdict disagrees with its checks, then the report is refused', () => {
    const report = assessQuality(syntheticInput());
    const first = report.checks[0];
    if (first) first.status = 'fail';

    expect(qualityReport.safeParse(report).success).toBe(false);
  });

  it('when a check finds many violations, then it counts them all but keeps only the first samples', () => {
    const log = new ViolationLog();
    for (let i = 0; i < 25; i++) log.add({ locationId: 'lyon', observedAt: `2024-01-01T00:00:0${i % 10}Z` });

    expect(log.count).toBe(25);
    expect(log.samples).toHaveLength(sampleLimit);
  });
});

describe('buildContext', () => {
  it('when the window is not on hour boundaries or is empty, then the input is refused', () => {
    const input = syntheticInput();

    expect(() => buildContext({ ...input, window: { start: '2024-03-01T00:30:00Z', end: input.window.end } })).toThrow(
      /on an hour/,
    );
    expect(() => buildContext({ ...input, window: { start: input.window.end, end: input.window.start } })).toThrow(
      /end after it starts/,
    );
    expect(() => buildContext({ ...input, now: 'yesterday' })).toThrow(/not an ISO 8601 time/);
  });
});
