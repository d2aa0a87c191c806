import { maxRecordedTriggers, parseTrigger, triggerSourcesOf, withTrigger, type WorkTrigger } from './trigger';

const trigger = (source: WorkTrigger['source'], n: number): WorkTrigger => ({
  source,
  detail: `#${n}`,
  at: new Date(Date.UTC(2024, 2, 1, 0, n)).toISOString(),
});

describe('work triggers', () => {
  it('when a payload is not a trigger, then it is refused', () => {
    expect(parseTrigger({ source: 'cron', detail: 'x', at: '2024-03-01T00:00:00Z' })).toBeUndefined();
    expect(parseTrigger({ source: 'cli', detail: 3, at: '2024-03-01T00:00:00Z' })).toBeUndefined();
    expect(parseTrigger({ source: 'cli', detail: 'x', at: 'yesterday' })).toBeUndefined();
    expect(parseTrigger('cli')).toBeUndefined();
    expect(parseTrigger({ source: 'cli', detail: 'ana', at: '2024-03-01T00:00:00Z', extra: 1 })).toEqual({
      source: 'cli',
      detail: 'ana',
      at: '2024-03-01T00:00:00Z',
    });
  });

  it('when more triggers come than are kept, then the first stays and the newest are kept', () => {
    let recorded: WorkTrigger[] = [];
    for (let n = 0; n < maxRecordedTriggers + 10; n++) recorded = withTrigger(recorded, trigger('cli', n));
    expect(recorded).toHaveLength(maxRecordedTriggers);
    expect(recorded[0]?.detail).toBe('#0');
    expect(recorded.at(-1)?.detail).toBe(`#${maxRecordedTriggers + 9}`);
  });

  it('when the same trigger comes again (a retried signal), then it is listed once; another at the same time is not the same', () => {
    const first = trigger('schedule', 1);
    const recorded = withTrigger(withTrigger([first], { ...first }), { ...first, detail: 'other schedule' });

    expect(recorded).toEqual([first, { ...first, detail: 'other schedule' }]);
  });

  it('when sources repeat, then the search attribute lists each once, sorted', () => {
    const recorded = [trigger('schedule', 1), trigger('airflow', 2), trigger('schedule', 3), trigger('cli', 4)];
    expect(triggerSourcesOf(recorded)).toEqual(['airflow', 'cli', 'schedule']);
  });
});
