import path from 'node:path';

import { build } from 'esbuild';

/** The dashboard's sources: beside `api/` in the repository, and beside `dist/api/` in the image. */
export const dashboardDir = path.resolve(__dirname, '..', '..', 'dashboard');

/**
 * The dashboard's script as one minified ES module, bundled from its TypeScript sources (and the npm
 * packages they import) when the API starts: nothing comes from elsewhere at run time, and the browser
 * gets one file.
 */
export async function bundleDashboard(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(dashboardDir, 'main.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no dashboard bundle');
  return output.text;
}
