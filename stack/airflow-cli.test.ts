import { backfilledDag } from './airflow-cli';

describe('backfilledDag', () => {
  it('when the command creates a backfill, then it names the DAG in either form of --dag-id', () => {
    expect(backfilledDag(['backfill', 'create', '--dag-id', 'aqi_hourly', '--from-date', 'x'])).toBe('aqi_hourly');
    expect(backfilledDag(['backfill', 'create', '--from-date', 'x', '--dag-id=aqi_quality'])).toBe('aqi_quality');
  });

  it('when the command is anything else, then there is no DAG to unpause', () => {
    expect(backfilledDag(['dags', 'test', 'aqi_hourly', '2024-03-05T06:00:00+00:00'])).toBeUndefined();
    expect(backfilledDag(['backfill', 'list', '--dag-id', 'aqi_hourly'])).toBeUndefined();
    expect(backfilledDag(['backfill', 'create'])).toBeUndefined();
  });
});
