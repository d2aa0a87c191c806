import { createServer, type Server } from 'node:net';

import { portAnswers, requireFreePorts } from './ports';

describe('requireFreePorts', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('names the variable of a port another process holds', async () => {
    await expect(requireFreePorts('Airflow', '127.0.0.1', { AIRFLOW_PORT: port })).rejects.toThrow(
      `Airflow cannot start: port ${port} (AIRFLOW_PORT) is taken by another process`,
    );
  });

  it('lets a free port through', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const freePort = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    expect(await portAnswers('127.0.0.1', freePort)).toBe(false);
    await expect(requireFreePorts('Airflow', '127.0.0.1', { AIRFLOW_PORT: freePort })).resolves.toBeUndefined();
  });
});
