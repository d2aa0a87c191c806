import { admitDecision, durationMs, modelNameFor, parseApproval } from './promotion';

describe('approval payloads', () => {
  it('when a payload is complete, then it is accepted with its comment', () => {
    expect(parseApproval({ approver: 'ana', decision: 'approve', comment: 'looks good' })).toEqual({
      ok: true,
      decision: { approver: 'ana', decision: 'approve', comment: 'looks good' },
    });
  });

  it('when fields are missing, wrong or extra, then the reason names each of them', () => {
    const parsed = parseApproval({ approver: ' ', decision: 'maybe', extra: 1 });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(/approver: approver must name a person/);
    expect(parsed.reason).toMatch(/decision: /);
    expect(parsed.reason).toMatch(/extra/);
  });

  it('when the payload is not an object, then it is refused, not thrown', () => {
    expect(parseApproval('approve')).toMatchObject({ ok: false });
    expect(parseApproval(undefined)).toMatchObject({ ok: false });
  });
});

describe('admitting a decision', () => {
  const approve = { approver: 'bob', decision: 'approve' };

  it('when the run awaits approval and nobody has decided, then the first valid decision is admitted', () => {
    expect(admitDecision({ ...approve, comment: 'ok' }, { stage: 'awaiting_approval' })).toEqual({
      ok: true,
      decision: { approver: 'bob', decision: 'approve', comment: 'ok' },
    });
  });

  it('when a decision was already taken, then a second one is refused naming the first', () => {
    const first = { approver: 'ana', decision: 'reject' as const };

    expect(admitDecision(approve, { stage: 'awaiting_approval', decision: first })).toEqual({
      ok: false,
      reason: 'approve from bob refused: already decided (reject by ana)',
    });
    expect(admitDecision(approve, { stage: 'promoted', decision: first })).toMatchObject({
      reason: expect.stringMatching(/already decided \(reject by ana\)/),
    });
  });

  it('when the run is not awaiting approval, then a decision is refused naming the stage', () => {
    expect(admitDecision(approve, { stage: 'training' })).toEqual({
      ok: false,
      reason: 'approve from bob refused: stage is training, not awaiting_approval',
    });
    expect(admitDecision(approve, { stage: 'expired' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/stage is expired/),
    });
  });

  it('when the payload is invalid, then it is refused for the payload whatever the stage', () => {
    const refused = admitDecision({ approver: '', decision: 'maybe' }, { stage: 'awaiting_approval' });

    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.reason).toMatch(/approver: .*decision: /);
    expect(admitDecision('approve', { stage: 'training' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/\(payload\)/),
    });
  });
});

describe('model names', () => {
  it('when kinds and horizons differ, then so do the registered names', () => {
    expect(modelNameFor('instant', 0)).toBe('aqi-eaqi-instant');
    expect(modelNameFor('forecast', 24)).toBe('aqi-eaqi-forecast-24h');
    expect(modelNameFor('forecast', 6)).not.toBe(modelNameFor('forecast', 24));
  });
});

describe('approval timeouts', () => {
  it('when a duration has a unit, then it converts to milliseconds', () => {
    expect(durationMs('72h')).toBe(72 * 3_600_000);
    expect(durationMs('1500ms')).toBe(1500);
    expect(durationMs('2d')).toBe(2 * 86_400_000);
  });

  it('when a duration has no unit or a fraction, then it is refused with the value in the message', () => {
    expect(() => durationMs('72')).toThrow(/"72" is not a duration/);
    expect(() => durationMs('1.5h')).toThrow(/"1.5h"/);
  });
});
