import { loadConfig } from '../config';

import { alertsGoToInbox, appEnvironment } from './app-processes';

describe('appEnvironment: where the platform processes of the embedded stack send their alerts', () => {
  it('when ALERT_WEBHOOKS is empty, then the processes get the alert inbox as a JSON webhook', () => {
    const config = loadConfig({ ALERT_WEBHOOKS: '', ALERT_INBOX_PORT: '9571', BIND_HOST: '127.0.0.1' });

    const env = appEnvironment(config, { PATH: '/bin', ALERT_WEBHOOKS: '' });

    expect(env).toEqual({ PATH: '/bin', ALERT_WEBHOOKS: 'json=http://127.0.0.1:9571/alerts' });
    expect(loadConfig(env).alerts.targets.map((t) => t.format)).toEqual(['json']);
    expect(alertsGoToInbox(config)).toBe(true);
  });

  it('when ALERT_WEBHOOKS names targets, then the environment is passed on unchanged', () => {
    const webhooks = 'slack=https://hooks.example.org/services/T/B/secret';
    const config = loadConfig({ ALERT_WEBHOOKS: webhooks });
    const given = { PATH: '/bin', ALERT_WEBHOOKS: webhooks };

    expect(appEnvironment(config, given)).toBe(given);
    expect(alertsGoToInbox(config)).toBe(false);
  });
});
