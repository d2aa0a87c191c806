import { parseAlertTargets } from '../../core/alerts/targets';
import { startWebhookReceiver } from '../../test/support/webhook-receiver';

import { createWebhookSender, WebhookRefused } from './webhook';

describe('createWebhookSender, against a real local HTTP receiver', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver({ '/gone': 404, '/busy': 503, '/limited': 429, '/slow': 'hang' });
  });
  afterAll(() => receiver.close());

  const target = (path: string) => {
    const [parsed] = parseAlertTargets(`json=${receiver.url(path)}`);
    return parsed as NonNullable<typeof parsed>;
  };
  const send = createWebhookSender({ timeoutMs: 300 });

  it('when the receiver answers 2xx, then the JSON body arrives as sent', async () => {
    await send(target('/ok?token=s3cret'), { hello: 'world' });

    const last = receiver.received.at(-1);
    expect(last?.path).toBe('/ok?token=s3cret');
    expect(last?.body).toEqual({ hello: 'world' });
    expect(last?.headers['content-type']).toBe('application/json');
  });

  it.each([
    ['/gone', true, /HTTP 404: refused/],
    ['/busy', false, /HTTP 503/],
    ['/limited', false, /HTTP 429/],
    ['/slow', false, /no answer within 300 ms/],
  ])('when %s, then the refusal says whether a retry can help (permanent: %s)', async (path, permanent, message) => {
    const error = await send(target(path), {}).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(WebhookRefused);
    expect(error).toMatchObject({ permanent });
    expect((error as Error).message).toMatch(message);
  });

  it('when it fails, then the message names the target by id and never shows its URL (a credential)', async () => {
    const error = (await send(target('/gone?token=s3cret'), {}).catch((err: unknown) => err)) as Error;

    expect(error.message).toMatch(/^alert target json:127\.0\.0\.1:\d+:[0-9a-f]{8}: /);
    expect(error.message).not.toContain('s3cret');
  });

  it('when nothing listens, then it is a refusal a retry may fix', async () => {
    const [closed] = parseAlertTargets('json=http://127.0.0.1:9/alerts');
    const error = await send(closed as NonNullable<typeof closed>, {}).catch((err: unknown) => err);

    expect(error).toMatchObject({ permanent: false, message: expect.stringContaining('unreachable') });
  });
});
