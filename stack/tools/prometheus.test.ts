import { prometheusModuleVersion } from './prometheus';

describe('prometheusModuleVersion', () => {
  it('when a Prometheus 3 release is given, then it names the Go module version published for it', () => {
    expect(prometheusModuleVersion('3.5.0')).toBe('v0.305.0');
    expect(prometheusModuleVersion('3.10.2')).toBe('v0.310.2');
  });

  it('when the version is not a Prometheus 3 release, then it refuses it', () => {
    expect(() => prometheusModuleVersion('2.53.0')).toThrow(/not a Prometheus 3 release/);
  });
});
