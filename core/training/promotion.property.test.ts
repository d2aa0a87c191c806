import fc from 'fast-check';

import { admitDecision, pipelineStages } from './promotion';

describe('approval payloads under random input', () => {
  it('when any payload meets any run state, then it is admitted only if valid, first and awaited; never a throw', () => {
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          approver: fc.oneof(fc.string(), fc.constant('  '), fc.integer()),
          decision: fc.oneof(fc.constantFrom('approve', 'reject', 'maybe'), fc.string()),
          comment: fc.oneof(fc.string(), fc.string({ minLength: 2001, maxLength: 2100 })),
          extra: fc.string(),
        },
        { requiredKeys: [] },
      ),
    );
    const run = fc.record({
      stage: fc.constantFrom(...pipelineStages),
      decision: fc.option(
        fc.record({
          approver: fc.string(),
          decision: fc.constantFrom('approve', 'reject') as fc.Arbitrary<'approve' | 'reject'>,
        }),
        {
          nil: undefined,
        },
      ),
    });
    fc.assert(
      fc.property(payload, run, (p, r) => {
        const result = admitDecision(
          p,
          r.decision === undefined ? { stage: r.stage } : { stage: r.stage, decision: r.decision },
        );
        if (result.ok) {
          expect(r.stage).toBe('awaiting_approval');
          expect(r.decision).toBeUndefined();
          expect(['approve', 'reject']).toContain(result.decision.decision);
          expect(result.decision.approver.trim().length).toBeGreaterThan(0);
        } else {
          expect(result.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
