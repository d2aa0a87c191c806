import type { Alert, AlertSeverity } from './alert';
import type { AlertFormat } from './targets';

/**
 * The body each target format expects for one alert:
 * - `json`: the alert itself under a versioned schema name, for any receiver of ours;
 * - `slack`: an incoming-webhook message (`text` as the notification fallback, Block Kit sections with
 *   mrkdwn links `<url|label>`);
 * - `discord`: an execute-webhook message with one embed (title, description, colour by severity,
 *   fields, timestamp) and mentions disabled, so an alert text can never ping anyone.
 * Texts are cut to each service's limits.
 */
export function alertBody(format: AlertFormat, alert: Alert): unknown {
  switch (format) {
    case 'json':
      return { schema: 'aqi.alert/v1', ...alert };
    case 'slack':
      return slackBody(alert);
    case 'discord':
      return discordBody(alert);
  }
}

const severityMark: Record<AlertSeverity, string> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };
const severityColour: Record<AlertSeverity, number> = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xdc2626 };

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack mrkdwn treats &, < and > as control characters. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackBody(alert: Alert) {
  const facts = Object.entries(alert.facts);
  const blocks: unknown[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cut(`${severityMark[alert.severity]} *${slackEscape(alert.title)}*\n${slackEscape(alert.text)}`, 3000),
      },
    },
  ];
  if (facts.length > 0) {
    blocks.push({
      type: 'section',
      fields: facts.slice(0, 10).map(([name, value]) => ({
        type: 'mrkdwn',
        text: cut(`*${slackEscape(name)}*\n${slackEscape(String(value))}`, 2000),
      })),
    });
  }
  if (alert.links.length > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: alert.links.map((l) => `<${l.url}|${slackEscape(l.label)}>`).join(' · ') }],
    });
  }
  return { text: cut(`${alert.title}: ${alert.text}`, 3000), blocks };
}

function discordBody(alert: Alert) {
  const links = alert.links.map((l) => `[${l.label}](${l.url})`).join(' · ');
  const description = cut(links.length > 0 ? `${alert.text}\n\n${links}` : alert.text, 4096);
  return {
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: cut(`${severityMark[alert.severity]} ${alert.title}`, 256),
        description,
        color: severityColour[alert.severity],
        fields: Object.entries(alert.facts)
          .slice(0, 25)
          .map(([name, value]) => ({ name: cut(name, 256), value: cut(String(value), 1024), inline: true })),
        timestamp: alert.at,
        ...(alert.links[0] ? { url: alert.links[0].url } : {}),
      },
    ],
  };
}
