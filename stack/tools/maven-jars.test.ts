import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureJars, readJarLock } from './maven-jars';

const jar = Buffer.from('not really a jar, but bytes with a known sha1');
const sha1 = createHash('sha1').update(jar).digest('hex');

describe('pinned Kafka jars', () => {
  let server: Server;
  let requests: string[];
  let repository: string;

  beforeAll(async () => {
    requests = [];
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/org/example/demo/1.0/demo-1.0.jar') res.end(jar);
      else if (req.url === '/org/example/tampered/1.0/tampered-1.0.jar') res.end(Buffer.from('other bytes'));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const lockWith = (coordinates: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aqi-jars-'));
    const lockFile = path.join(dir, 'lock.json');
    writeFileSync(lockFile, JSON.stringify({ repository, jars: [{ coordinates, sha1 }] }));
    return { lockFile, libs: path.join(dir, 'libs') };
  };

  it('when the project lock is read, then it pins the Kafka broker and every jar has a sha1', () => {
    const lock = readJarLock(path.resolve(__dirname, '..', 'kafka', 'jars.lock.json'));

    expect(lock.jars.map((j) => j.coordinates)).toContain('org.apache.kafka:kafka_2.13:4.1.1');
    expect(lock.jars.every((j) => /^[0-9a-f]{40}$/.test(j.sha1))).toBe(true);
  });

  it('when jars are missing, then they are downloaded once and a second run fetches nothing', async () => {
    const { lockFile, libs } = lockWith('org.example:demo:1.0');

    await ensureJars({ lockFile, dir: libs, progress: () => undefined });
    const afterFirst = requests.length;
    await ensureJars({ lockFile, dir: libs, progress: () => undefined });

    expect(readdirSync(libs)).toEqual(['demo-1.0.jar']);
    expect(afterFirst).toBeGreaterThan(0);
    expect(requests.length).toBe(afterFirst);
  });

  it('when a download does not match its pinned sha1, then it fails and keeps nothing', async () => {
    const { lockFile, libs } = lockWith('org.example:tampered:1.0');

    await expect(ensureJars({ lockFile, dir: libs, progress: () => undefined })).rejects.toThrow(
      /does not match the pin/,
    );
    expect(readdirSync(libs)).toEqual([]);
  });

  it('when the repository answers 404, then the error names the artifact', async () => {
    const { lockFile, libs } = lockWith('org.example:missing:1.0');

    await expect(ensureJars({ lockFile, dir: libs, progress: () => undefined })).rejects.toThrow(
      /org\.example:missing:1\.0 failed: HTTP 404/,
    );
  });
});
