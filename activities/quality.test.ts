import { syntheticLocations, syntheticRows, syntheticWindow } from '../core/quality/synthetic-window';
import { inActivityOf } from '../test/support/activity-context';
import { fakeQuality } from '../test/support/repository-fakes';

import { createQualityActivities } from './quality';

const inActivity = inActivityOf('quality-2024-03-01');
const input = {
  locationIds: syntheticLocations,
  from: syntheticWindow.start,
  to: syntheticWindow.end,
  now: '2024-03-03T01:00:00Z',
};

describe('assessDataQuality', () => {
  it('when the stored window is clean, then it saves a passing report under the workflow id', async () => {
    const quality = fakeQuality(syntheticRows());
    const activities = createQualityActivities({ quality: quality.repository });

    const outcome = await inActivity(activities.assessDataQuality, input);

    expect(outcome).toEqual({ reportId: 1, verdict: 'pass', rowsChecked: 96, findings: [] });
    expect(quality.reports.get('quality-2024-03-01')?.input.report.verdict).toBe('pass');
  });

  it('when hours are missing, then the verdict and a finding say so, and a retry rewrites the same report', async () => {
    const rows = syntheticRows().filter((r) => !(r.locationId === 'lyon' && r.observedAt.startsWith('2024-03-02')));
    const quality = fakeQuality(rows);
    const activities = createQualityActivities({ quality: quality.repository });

    const first = await inActivity(activities.assessDataQuality, input);
    const retry = await inActivity(activities.assessDataQuality, input);

    expect(first.verdict).toBe('fail');
    expect(first.rowsChecked).toBe(72);
    expect(first.findings.join('\n')).toMatch(/^fail completeness: .*lyon/m);
    expect(retry.reportId).toBe(first.reportId);
    expect(quality.reports.size).toBe(1);
  });
});
