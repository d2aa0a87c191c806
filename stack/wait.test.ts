import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { waitUntilReady } from './wait';

describe('waitUntilReady', () => {
  it('when the probe succeeds after failures, then it resolves', async () => {
    let calls = 0;

    await waitUntilReady('flaky', async () => ++calls >= 3, { timeoutMs: 5000, intervalMs: 10 });

    expect(calls).toBe(3);
  });

  it('when the probe never succeeds, then the error names the service, the last error and the log tail', async () => {
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'aqi-wait-')), 'svc.log');
    writeFileSync(log, 'line 1\nFATAL: port already in use\n');

    const attempt = waitUntilReady(
      'Example service',
      async () => {
        throw new Error('ECONNREFUSED');
      },
      { timeoutMs: 50, intervalMs: 10, logFile: log },
    );

    await expect(attempt).rejects.toThrow(/Example service was not ready after 0 s \(last error: ECONNREFUSED\)/);
    await expect(attempt).rejects.toThrow(/FATAL: port already in use/);
  });

  it('when the process died, then it stops waiting at once', async () => {
    const started = Date.now();

    await expect(
      waitUntilReady('Dead service', async () => false, { timeoutMs: 10_000, intervalMs: 10, alive: () => false }),
    ).rejects.toThrow(/Dead service exited during start-up/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
