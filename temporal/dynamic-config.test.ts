import { dynamicConfigFlags } from './dynamic-config';

describe('dynamic config for the dev server', () => {
  it('when the project file is read, then each global key becomes a --dynamic-config-value flag with a JSON value', () => {
    const flags = dynamicConfigFlags();

    expect(flags).toContain('system.forceSearchAttributesCacheRefreshOnRead=true');
    expect(flags.filter((f) => f === '--dynamic-config-value').length).toBe(flags.length / 2);
  });

  it('when a key only has constrained values, then it is left to the file-based server', () => {
    const yaml = `
limit.maxIDLength:
  - value: 255
history.maximumSignalsPerExecution:
  - value: 100
    constraints: { namespace: aqi }
frontend.keepAliveMessage:
  - value: "hi"
`;

    expect(dynamicConfigFlags(yaml)).toEqual([
      '--dynamic-config-value',
      'limit.maxIDLength=255',
      '--dynamic-config-value',
      'frontend.keepAliveMessage="hi"',
    ]);
  });

  it('when the file is malformed, then it throws instead of starting a misconfigured server', () => {
    expect(() => dynamicConfigFlags('limit.maxIDLength: 255')).toThrow();
  });
});
