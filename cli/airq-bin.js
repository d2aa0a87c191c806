#!/usr/bin/env node
// `npx airq …`: runs the TypeScript CLI through tsx, so no build step is needed.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(__dirname, 'airq.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
