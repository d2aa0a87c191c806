import { createServer } from 'node:net';
import { Writable } from 'node:stream';

import { Runtime } from '@temporalio/worker';

import { createLogger } from '../logger';

import { installTemporalRuntime } from './runtime';

describe('installTemporalRuntime', () => {
  it('when the metrics port is taken, then the runtime is installed without metrics and the reason is logged', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });

    const served = installTemporalRuntime({
      logger: createLogger('test', 'warn', destination),
      metrics: { host: '127.0.0.1', port },
    });

    expect(served).toBe(false);
    expect(Runtime.instance()).toBeDefined();
    expect(lines.join('')).toContain('Temporal metrics not served: the port is taken');
    await new Promise((resolve) => taken.close(resolve));
  });
});
