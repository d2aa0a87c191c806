import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { chromium, type Browser } from 'playwright-core';

import { repoRoot } from '../../config/runtime';

const run = promisify(execFile);

/**
 * Where the Chromium of the npm package `@sparticuz/chromium` is, and the flags it needs: the package ships
 * the browser (brotli-packed, unpacked under the temporary directory on first use), so nothing is downloaded
 * at test time. The package is ES modules only, which Jest's CommonJS runtime cannot load: a child Node asks.
 */
export async function chromiumFromNpm(): Promise<{ executablePath: string; args: string[] }> {
  const script = `import chromium from '@sparticuz/chromium';
process.stdout.write(JSON.stringify({ executablePath: await chromium.executablePath(), args: chromium.args }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot });
  return JSON.parse(stdout) as { executablePath: string; args: string[] };
}

/**
 * A headless Chromium driven by playwright-core, with the package's flags but `--single-process` (made for
 * AWS Lambda): in one process, closing a browser context ends the browser, and each load of the benchmark
 * needs a fresh context.
 */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, args } = await chromiumFromNpm();
  return chromium.launch({ executablePath, args: args.filter((a) => a !== '--single-process'), headless: true });
}
