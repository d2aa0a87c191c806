/** The phases `--mode stack` can run, and what the command line sets for them. */
export const stackPhases = ['throughput', 'backlog', 'latency', 'two'] as const;
export type StackPhase = (typeof stackPhases)[number];

export interface StackOptions {
  phases: readonly StackPhase[];
  throughputSensors: number;
  throughputDays: number;
  rate: number;
  latencySeconds: number;
  /** `real`: event times are wall times (1 reading a second per sensor); `simulated`: the scenario's, sped up. */
  latencyClock: 'real' | 'simulated';
  thresholds: unknown;
  /** Copy the stack's logs here before the scratch directory is removed. */
  keepLogs?: string;
}
