import { anomalyTypes } from './anomaly';
import { admitIncidentAction, incidentAnomalyTypes, incidentInput, sensorIncidentWorkflowId } from './incident';

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

  it('when a fault lasts (repeated out-of-range values and frequent spikes included), then it opens an incident; a single bad reading does not', () => {
    expect(anomalyTypes.filter((t) => incidentAnomalyTypes.includes(t))).toEqual([
      'flatline',
      'dropout',
      'drift',
      'repeated_out_of_range',
      'frequent_spikes',
    ]);
  });

  it('when an incident starts from repeated out-of-range values, then its input names the measurement and the start', () => {
    const input = incidentInput(
      {
        schema: 'sensors.anomaly/v1',
        id: '0123456789abcdef0123456789abcdef',
        sensor_id: 'CAP_001',
        type: 'repeated_out_of_range',
        measurement: 'no2',
        severity: 'warning',
        score: 1,
        window: { start: '2024-03-01T05:00:00.000Z', end: '2024-03-01T05:45:00.000Z' },
        evidence: { in_window: 16, required: 16, window_seconds: 3600 },
        detected_at: '2024-03-01T05:45:00.000Z',
      },
      '30m',
    );

    expect(input).toMatchObject({
      anomalyType: 'repeated_out_of_range',
      measurement: 'no2',
      faultStartedAt: '2024-03-01T05:00:00.000Z',
    });
    expect(input.summary).toBe('repeated_out_of_range of no2 since 2024-03-01T05:00:00.000Z (score 1.00)');
  });
});
