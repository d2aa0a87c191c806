import { AppError } from '../../errors';

import { labelsFromJsonLines, labelsToJsonLines, type FaultLabel } from './labels';

const labels: FaultLabel[] = [
  {
    kind: 'signal',
    sensor_id: 'CAP_001',
    type: 'spike',
    measurement: 'pm2_5',
    start: '2024-01-15T06:00:00Z',
    end: '2024-01-15T06:00:00Z',
    detail: 'spike +80.0',
  },
  { kind: 'delivery', sensor_id: 'CAP_002', type: 'late', start: '2024-01-15T07:00:00Z', end: '2024-01-15T07:00:00Z' },
];

describe('labels as JSON lines', () => {
  it('when labels are written and read back, then they are the same, one line each', () => {
    const text = labelsToJsonLines(labels);

    expect(text.split('\n')).toHaveLength(3);
    expect(labelsFromJsonLines(text)).toEqual(labels);
  });

  it('when a line is not a label, then reading refuses it with its line number', () => {
    const text = `${labelsToJsonLines(labels)}\n{"kind":"delivery","sensor_id":"CAP_002","type":"spike"}\n`;

    expect(() => labelsFromJsonLines(text)).toThrow(AppError);
    expect(() => labelsFromJsonLines(text)).toThrow(/line 4/);
    expect(() => labelsFromJsonLines('not json')).toThrow(/line 1/);
  });
});
