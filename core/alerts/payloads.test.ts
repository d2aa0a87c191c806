import { alert, type Alert } from './alert';
import { alertBody } from './payloads';

const sample: Alert = alert.parse({
  key: 'incident:abc:opened:0',
  kind: 'incident_opened',
  severity: 'warning',
  title: 'Sensor CAP_001: flatline (pm2_5) incident opened',
  text: 'pm2_5 stuck at 12.5 <for 30 readings> & counting',
  links: [{ label: 'Incident in the Temporal Web UI', url: 'http://127.0.0.1:8233/namespaces/aqi/workflows/x' }],
  facts: { sensor: 'CAP_001', readings: 30 },
  at: '2024-01-15T14:30:00Z',
});

describe('alertBody', () => {
  it('json: the alert itself under a versioned schema name', () => {
    expect(alertBody('json', sample)).toEqual({ schema: 'aqi.alert/v1', ...sample });
  });

  it('slack: a fallback text, the title in bold, facts as fields, links as <url|label>, control characters escaped', () => {
    const body = alertBody('slack', sample) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    const json = JSON.stringify(body);

    expect(body.text).toBe(`${sample.title}: ${sample.text}`);
    expect(body.blocks[0]?.text?.text).toContain('*Sensor CAP_001: flatline (pm2_5) incident opened*');
    expect(body.blocks[0]?.text?.text).toContain('&lt;for 30 readings&gt; &amp; counting');
    expect(json).toContain('*readings*\\n30');
    expect(json).toContain('<http://127.0.0.1:8233/namespaces/aqi/workflows/x|Incident in the Temporal Web UI>');
  });

  it('discord: one embed coloured by severity, facts as fields, the links in the description, no mention allowed', () => {
    const body = alertBody('discord', { ...sample, severity: 'critical' }) as {
      allowed_mentions: { parse: string[] };
      embeds: {
        title: string;
        description: string;
        color: number;
        fields: unknown[];
        timestamp: string;
        url: string;
      }[];
    };
    const embed = body.embeds[0];

    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(embed?.color).toBe(0xdc2626);
    expect(embed?.title).toContain(sample.title);
    expect(embed?.description).toContain(
      '[Incident in the Temporal Web UI](http://127.0.0.1:8233/namespaces/aqi/workflows/x)',
    );
    expect(embed?.fields).toEqual([
      { name: 'sensor', value: 'CAP_001', inline: true },
      { name: 'readings', value: '30', inline: true },
    ]);
    expect(embed?.timestamp).toBe(sample.at);
  });

  it('discord and slack: texts longer than the services accept are cut, never refused', () => {
    const long = { ...sample, text: 'x'.repeat(3000), title: 't'.repeat(200) };
    const discord = alertBody('discord', long) as { embeds: { title: string; description: string }[] };
    const slack = alertBody('slack', long) as { text: string };

    expect(discord.embeds[0]?.title.length).toBeLessThanOrEqual(256);
    expect(slack.text.length).toBe(3000);
    expect(slack.text.endsWith('…')).toBe(true);
  });
});
