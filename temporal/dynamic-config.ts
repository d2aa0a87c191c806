import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';
import { z } from 'zod';

const file = path.join(__dirname, 'dynamic-config.yaml');

const dynamicConfig = z.record(
  z.string(),
  z.array(z.object({ value: z.unknown(), constraints: z.unknown().optional() })),
);

/**
 * The dev server takes dynamic config only as flags, so the YAML that docker-compose mounts is turned into
 * `--dynamic-config-value KEY=JSON` pairs here: one file configures both deployments. Constrained values
 * (per namespace or task queue) need the file-based server and are skipped.
 */
export function dynamicConfigFlags(source = readFileSync(file, 'utf8')): string[] {
  const entries = dynamicConfig.parse(parse(source) ?? {});
  return Object.entries(entries).flatMap(([key, values]) => {
    const global = values.find((v) => v.constraints === undefined);
    return global ? ['--dynamic-config-value', `${key}=${JSON.stringify(global.value)}`] : [];
  });
}
