import { AppError } from '../../errors';

import { callWeight, hourlyVariables, planCurrentRequests, planHourlyRequests, requestKey } from './request-plan';

const lyon = { id: 'lyon', latitude: 45.7, longitude: 4.8 };
const paris = { id: 'paris', latitude: 48.8566, longitude: 2.3522 };

describe('planHourlyRequests', () => {
  it('when 20 whole days of the 11 default variables are asked, then 2 windows × 2 variable chunks use dates', () => {
    const queries = planHourlyRequests({
      locations: [lyon],
      from: '2024-01-01T00:00:00Z',
      to: '2024-01-20T23:00:00Z',
      variables: hourlyVariables,
    });

    expect(queries.map((q) => [q.params.start_date, q.params.end_date, q.params.hourly?.split(',').length])).toEqual([
      ['2024-01-01', '2024-01-14', 6],
      ['2024-01-01', '2024-01-14', 5],
      ['2024-01-15', '2024-01-20', 6],
      ['2024-01-15', '2024-01-20', 5],
    ]);
    expect(queries.every((q) => q.params.start_hour === undefined && q.params.timezone === 'GMT')).toBe(true);
    expect(queries.every((q) => q.params.cell_selection === 'nearest')).toBe(true);
    expect(new Set(queries.flatMap((q) => q.params.hourly?.split(',')))).toEqual(new Set(hourlyVariables));
    expect(queries.map((q) => q.weight)).toEqual([1, 1, 1, 1]);
  });

  it('when the window starts and ends inside days, then the partial windows use start_hour/end_hour', () => {
    const queries = planHourlyRequests({
      locations: [lyon],
      from: '2024-01-01T05:00:00Z',
      to: '2024-01-16T02:00:00Z',
      variables: ['pm10'],
    });

    expect(queries.map((q) => q.params)).toEqual([
      expect.objectContaining({ start_hour: '2024-01-01T05:00', end_hour: '2024-01-14T23:00' }),
      expect.objectContaining({ start_hour: '2024-01-15T00:00', end_hour: '2024-01-16T02:00' }),
    ]);
  });

  it('when a window spans 14 days, then no query covers more than 14 days or 10 variables', () => {
    const variables = Array.from({ length: 23 }, (_, i) => `v${i}`);

    const queries = planHourlyRequests({
      locations: [lyon],
      from: '2024-01-01T00:00:00Z',
      to: '2024-03-31T23:00:00Z',
      variables,
    });

    for (const q of queries) {
      const days =
        (Date.parse(`${q.params.end_date}T00:00Z`) - Date.parse(`${q.params.start_date}T00:00Z`)) / 86_400_000 + 1;
      expect(days).toBeLessThanOrEqual(14);
      expect(q.params.hourly?.split(',').length).toBeLessThanOrEqual(10);
    }
    expect(queries).toHaveLength(7 * 3);
  });

  it('when several locations are asked, then they share a query as comma lists in order, split by locationsPerCall', () => {
    const queries = planHourlyRequests({
      locations: [paris, lyon, { ...lyon, id: 'lyon-2' }],
      from: '2024-01-01T00:00:00Z',
      to: '2024-01-01T23:00:00Z',
      variables: ['pm10'],
      cellSelection: 'land',
      locationsPerCall: 2,
    });

    expect(queries.map((q) => [q.locationIds, q.params.latitude, q.params.longitude, q.params.cell_selection])).toEqual(
      [
        [['paris', 'lyon'], '48.8566,45.7', '2.3522,4.8', 'land'],
        [['lyon-2'], '45.7', '4.8', 'land'],
      ],
    );
    expect(queries.map((q) => q.weight)).toEqual([2, 1]);
  });

  it('when from is not a UTC hour or to is before from, then an AppError names the problem', () => {
    const plan = (from: string, to: string) => () =>
      planHourlyRequests({ locations: [lyon], from, to, variables: ['pm10'] });

    expect(plan('2024-01-01T05:30:00Z', '2024-01-02T00:00:00Z')).toThrow(
      /from "2024-01-01T05:30:00Z" is not a UTC hour/,
    );
    expect(plan('2024-02-30T00:00:00Z', '2024-03-02T00:00:00Z')).toThrow(AppError);
    expect(plan('2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z')).toThrow(/before from/);
  });
});

describe('requestKey', () => {
  it('when the same query is planned twice, then its key is the same and lists the parameters sorted', () => {
    const plan = () =>
      planHourlyRequests({
        locations: [lyon],
        from: '2024-01-01T00:00:00Z',
        to: '2024-01-01T05:00:00Z',
        variables: ['pm10', 'ozone'],
      });

    const [first] = plan();
    const [again] = plan();

    expect(first && requestKey(first)).toBe(again && requestKey(again));
    expect(first && requestKey(first)).toBe(
      'v1/air-quality?cell_selection=nearest&end_hour=2024-01-01T05:00&hourly=pm10,ozone&latitude=45.7&longitude=4.8&start_hour=2024-01-01T00:00&timezone=GMT',
    );
  });

  it('when two queries differ in one parameter, then their keys differ', () => {
    const queries = planHourlyRequests({
      locations: [lyon],
      from: '2024-01-01T00:00:00Z',
      to: '2024-01-20T23:00:00Z',
      variables: hourlyVariables,
    });

    expect(new Set(queries.map(requestKey)).size).toBe(queries.length);
  });
});

describe('planCurrentRequests and callWeight', () => {
  it('when current values are asked, then one query per location group carries every variable', () => {
    const [query] = planCurrentRequests({ locations: [lyon, paris], variables: hourlyVariables });

    expect(query?.params).toEqual({
      latitude: '45.7,48.8566',
      longitude: '4.8,2.3522',
      current: hourlyVariables.join(','),
      timezone: 'GMT',
      cell_selection: 'nearest',
    });
    expect(query?.weight).toBeCloseTo(2.2);
  });

  it('when a query exceeds 10 variables or 14 days, then it weighs proportionally more (Open-Meteo pricing)', () => {
    expect(callWeight(1, 15, 14 * 24)).toBeCloseTo(1.5);
    expect(callWeight(1, 15, 28 * 24)).toBeCloseTo(3);
    expect(callWeight(3, 5, 24)).toBe(3);
  });
});
