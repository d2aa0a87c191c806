/** One piece of the embedded stack, started and stopped by `stack/cli.ts`. */
export interface StackService {
  readonly name: string;
  /** Installs what the service needs (cached: cheap when already done). */
  install(): Promise<void>;
  /** Starts the service if it is not already up, and resolves once it answers its protocol. */
  start(): Promise<void>;
  /** A protocol-level check (a query, an API call), not just an open port. */
  isReady(): Promise<boolean>;
  stop(): Promise<void>;
  /** Addresses to show users, e.g. `{ url: 'postgresql://…' }`. */
  addresses(): Record<string, string>;
}

export type Progress = (message: string) => void;
