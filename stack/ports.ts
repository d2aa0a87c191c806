import { connect } from 'node:net';

import { AppError } from '../core/errors';

/** Whether something accepts TCP connections on host:port. */
export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Refuses to start a service over ports another process holds: it would otherwise come up half-way (one
 * component failing to bind) and time out much later with a less obvious error.
 */
export async function requireFreePorts(service: string, host: string, ports: Record<string, number>): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    if (await portAnswers(host, port)) {
      throw new AppError(
        'PORT_IN_USE',
        `${service} cannot start: port ${port} (${name}) is taken by another process; stop it or choose another ${name}`,
      );
    }
  }
}
