import { admitIncidentAction, sensorIncidentWorkflowId } from './incident';

describe('admitIncidentAction', () => {
  const ana = { by: 'ana', comment: 'on my way' };

  it('when the incident is open, then an acknowledge and a resolve are both admitted', () => {
    expect(admitIncidentAction('acknowledge', ana, { state: 'open' })).toEqual({ ok: true, action: ana });
    expect(admitIncidentAction('resolve', { by: 'ana' }, { state: 'open' })).toEqual({
      ok: true,
      action: { by: 'ana' },
    });
  });

  it('when it is already acknowledged, then a second acknowledge is refused naming who did, a resolve is admitted', () => {
    const at = { state: 'acknowledged' as const, acknowledgedBy: 'ana' };

    expect(admitIncidentAction('acknowledge', { by: 'ben' }, at)).toEqual({
      ok: false,
      reason: 'acknowledge from ben refused: already acknowledged by ana',
    });
    expect(admitIncidentAction('resolve', { by: 'ben' }, at).ok).toBe(true);
  });

  it('when it is closed, then every action is refused with how it closed', () => {
    const at = { state: 'closed' as const, closure: { reason: 'recovered' as const } };

    expect(admitIncidentAction('resolve', { by: 'ben' }, at)).toEqual({
      ok: false,
      reason: 'resolve from ben refused: the incident is closed (recovered)',
    });
    expect(
      admitIncidentAction(
        'acknowledge',
        { by: 'ben' },
        { state: 'closed', closure: { reason: 'resolved', by: 'ana' } },
      ),
    ).toEqual({ ok: false, reason: 'acknowledge from ben refused: the incident is closed (resolved by ana)' });
  });

  it('when the payload is not an action, then it is refused naming the field', () => {
    expect(admitIncidentAction('acknowledge', { by: ' ' }, { state: 'open' })).toEqual({
      ok: false,
      reason: 'by: by must name a person',
    });
    expect(admitIncidentAction('acknowledge', { by: 'ana', extra: 1 }, { state: 'open' }).ok).toBe(false);
    expect(admitIncidentAction('resolve', 'ana', { state: 'open' }).ok).toBe(false);
  });

  it('names one workflow per fault', () => {
    expect(sensorIncidentWorkflowId('0123456789abcdef0123456789abcdef')).toBe(
      'sensor-incident-0123456789abcdef0123456789abcdef',
    );
  });
});
