import { parseAlertTargets } from './targets';

describe('parseAlertTargets (ALERT_WEBHOOKS)', () => {
  it('when empty or unset, then there is no target', () => {
    expect(parseAlertTargets(undefined)).toEqual([]);
    expect(parseAlertTargets('  ')).toEqual([]);
  });

  it('when entries are separated by commas or spaces, then each becomes a target named without its secret path', () => {
    const targets = parseAlertTargets(
      'slack=https://hooks.slack.example/services/T0/B0/path-part, discord=https://discord.example/api/webhooks/1/path json=http://127.0.0.1:9999/alerts',
    );

    expect(targets.map((t) => t.format)).toEqual(['slack', 'discord', 'json']);
    expect(targets[0]?.url).toBe('https://hooks.slack.example/services/T0/B0/path-part');
    expect(targets[0]?.id).toMatch(/^slack:hooks\.slack\.example:[0-9a-f]{8}$/);
    expect(targets.map((t) => t.id).join(' ')).not.toContain('path-part');
    expect(targets[2]?.id).toMatch(/^json:127\.0\.0\.1:9999:[0-9a-f]{8}$/);
  });

  it('when two URLs differ only in their path, then their ids differ', () => {
    const [a, b] = parseAlertTargets('json=http://h/a,json=http://h/b');
    expect(a?.id).not.toBe(b?.id);
  });

  it.each([
    ['teams=https://example.org/hook', /entry 1 must start with one of json, slack, discord/],
    ['https://example.org/hook', /entry 1 must start with one of/],
    ['json=http://ok/x,slack=not a url', /entry 2 \(slack\) is not a URL/],
    ['json=ftp://example.org/x', /entry 1 \(json\) must be an http\(s\) URL/],
    ['json=http://h/a,json=http://h/a', /listed twice/],
  ])('when the value is %s, then the error names the entry and the rule', (value, message) => {
    expect(() => parseAlertTargets(value)).toThrow(message);
  });

  it('when an entry is refused, then the error never echoes its URL', () => {
    expect(() => parseAlertTargets('teams=https://hooks.example.org/very-secret')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('very-secret') }),
    );
  });
});
