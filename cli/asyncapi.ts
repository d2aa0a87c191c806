import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { sensorsAsyncApiJson } from '../core/sensors/asyncapi';

/** `npm run asyncapi`: writes the sensor topics' AsyncAPI document, generated from the zod schemas. */
export const asyncApiFile = path.resolve(__dirname, '..', 'docs', 'asyncapi.json');

if (require.main === module) {
  writeFileSync(asyncApiFile, sensorsAsyncApiJson());
  console.log(`wrote ${path.relative(process.cwd(), asyncApiFile)}`);
}
