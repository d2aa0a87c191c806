import { readSharedCases, workIdOf } from '../../test/support/work-id-cases';

import { trainingWorkId } from './training';
import { ingestHourlyWorkId } from './work-ids';

describe('work ids', () => {
  it.each(readSharedCases().map((c) => [c.note, c] as const))(
    'when the shared case "%s" is asked, then TypeScript writes its id',
    (_note, c) => {
      expect(workIdOf(c.work, c.input)).toBe(c.id);
    },
  );

  it('when a location list is long, then the id stays short and names the set, not its order', () => {
    const many = Array.from({ length: 300 }, (_, i) => `place-${String(i).padStart(4, '0')}`);
    const id = ingestHourlyWorkId(many, '2024-03-01T05:00:00Z');
    expect(id.length).toBeLessThan(120);
    expect(ingestHourlyWorkId([...many].reverse(), '2024-03-01T05:00:00Z')).toBe(id);
    expect(ingestHourlyWorkId(many.slice(1), '2024-03-01T05:00:00Z')).not.toBe(id);
  });

  it('when only the approval settings differ, then a training request is the same work; other params are not', () => {
    const base = {
      kind: 'instant' as const,
      algorithm: 'random-forest',
      params: { randomForest: { nEstimators: 60, maxDepth: 8 } },
      locationIds: ['lyon'],
      trainFrom: '2024-01-01T00:00:00Z',
      validationFrom: '2024-11-01T00:00:00Z',
      testFrom: '2024-12-01T00:00:00Z',
      testTo: '2025-01-01T00:00:00Z',
    };
    const id = trainingWorkId(base);
    expect(trainingWorkId({ ...base, params: { randomForest: { maxDepth: 8, nEstimators: 60 } } })).toBe(id);
    expect(trainingWorkId({ ...base, params: { randomForest: { nEstimators: 61, maxDepth: 8 } } })).not.toBe(id);
    expect(trainingWorkId({ ...base, testTo: '2025-01-01T01:00:00Z' })).not.toBe(id);
  });
});
