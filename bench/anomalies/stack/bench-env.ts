import { derivedAddressesFromPorts, testStackPorts } from '../../../test/integration/test-env';

/** The environment of the bench's own stack: the test stack's ports shifted by an offset, a scratch state. */

export const offset = Number(process.env.AQI_TEST_PORT_OFFSET ?? 700);

export function benchEnv(scratch: string, thresholds: string): NodeJS.ProcessEnv {
  if (!Number.isInteger(offset) || offset < 0 || offset > 9000) {
    throw new Error(
      `AQI_TEST_PORT_OFFSET must be an integer from 0 to 9000, got "${process.env.AQI_TEST_PORT_OFFSET}"`,
    );
  }
  return {
    ...process.env,
    AQI_STATE_DIR: scratch,
    LOG_LEVEL: 'warn',
    // The test stack's ports shifted by the offset.
    ...testStackPorts(offset),
    AQI_SOURCE: 'replay',
    ...derivedAddressesFromPorts,
    SENSOR_DETECTOR_THRESHOLDS: thresholds,
  };
}
