import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { AppError } from '../../core/errors';

const jarLock = z.object({
  repository: z.url(),
  jars: z.array(z.object({ coordinates: z.string().regex(/^[^:]+:[^:]+:[^:]+$/), sha1: z.string().length(40) })),
});
export type JarLock = z.infer<typeof jarLock>;

export function readJarLock(file: string): JarLock {
  return jarLock.parse(JSON.parse(readFileSync(file, 'utf8')));
}

function jarPath(coordinates: string): { url: string; file: string } {
  const [group = '', artifact = '', version = ''] = coordinates.split(':');
  const file = `${artifact}-${version}.jar`;
  return { url: `${group.replace(/\./g, '/')}/${artifact}/${version}/${file}`, file };
}

/**
 * Downloads every jar of the lock file from Maven Central into `dir`, checking each one's sha1 against
 * the pin. Jars already present with the right checksum are kept, so a second run downloads nothing.
 */
export async function ensureJars(options: {
  lockFile: string;
  dir: string;
  progress: (message: string) => void;
}): Promise<string> {
  const lock = readJarLock(options.lockFile);
  mkdirSync(options.dir, { recursive: true });
  const missing = lock.jars.filter(({ coordinates, sha1 }) => {
    const file = path.join(options.dir, jarPath(coordinates).file);
    return !existsSync(file) || sha1Of(readFileSync(file)) !== sha1;
  });
  if (missing.length === 0) return options.dir;

  options.progress(`downloading ${missing.length} jars from Maven Central into ${options.dir} (first run only)`);
  const queue = [...missing];
  const worker = async () => {
    for (let jar = queue.shift(); jar; jar = queue.shift()) {
      const { url, file } = jarPath(jar.coordinates);
      const response = await fetch(
        new URL(url, lock.repository.endsWith('/') ? lock.repository : `${lock.repository}/`),
      );
      if (!response.ok) {
        throw new AppError('TOOL_INSTALL_FAILED', `download of ${jar.coordinates} failed: HTTP ${response.status}`);
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      const actual = sha1Of(bytes);
      if (actual !== jar.sha1) {
        throw new AppError(
          'TOOL_INSTALL_FAILED',
          `${jar.coordinates}: sha1 ${actual} does not match the pin ${jar.sha1}`,
        );
      }
      const target = path.join(options.dir, file);
      // A part file of this process's own: two processes sharing the directory may fetch the same jar.
      const part = `${target}.${process.pid}.part`;
      writeFileSync(part, bytes);
      renameSync(part, target);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return options.dir;
}

function sha1Of(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}
