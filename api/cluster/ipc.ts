import { z } from 'zod';

import { AppError, describeError } from '../../core/errors';

/**
 * Cluster-wide questions between API processes (node:cluster): a worker asks the primary ("metrics",
 * "reload"), the primary asks every worker for its part, combines the parts and answers the asker. The
 * message shapes are validated on arrival; the transport (process.send / worker.send) is passed in, so the
 * logic is tested without forking.
 */

const message = z.discriminatedUnion('aqi', [
  z.object({ aqi: z.literal('ask'), kind: z.string(), id: z.number() }),
  z.object({
    aqi: z.literal('answer'),
    id: z.number(),
    ok: z.boolean(),
    value: z.unknown(),
    error: z.string().optional(),
  }),
  z.object({ aqi: z.literal('collect'), kind: z.string(), id: z.number() }),
  z.object({
    aqi: z.literal('part'),
    id: z.number(),
    ok: z.boolean(),
    value: z.unknown(),
    error: z.string().optional(),
  }),
]);
type Message = z.infer<typeof message>;

/** One end of an IPC channel: a worker's `process`, or a `cluster.Worker` seen from the primary. */
export interface Channel {
  send(message: Message): void;
  onMessage(listener: (raw: unknown) => void): void;
}

/** What a worker uses: ask the whole cluster, and answer the primary's collections. */
export interface ClusterLink {
  ask<T>(kind: string): Promise<T>;
  answer(kind: string, handler: () => Promise<unknown>): void;
}

export function workerLink(primary: Channel, timeoutMs = 10_000): ClusterLink {
  let nextId = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  const handlers = new Map<string, () => Promise<unknown>>();
  primary.onMessage((raw) => {
    const parsed = message.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.aqi === 'answer') {
      const pending = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) pending?.resolve(m.value);
      else pending?.reject(new AppError('CLUSTER_ASK_FAILED', m.error ?? 'the primary could not answer'));
    } else if (m.aqi === 'collect') {
      const handler = handlers.get(m.kind);
      const reply = (part: Omit<Extract<Message, { aqi: 'part' }>, 'aqi' | 'id'>) =>
        primary.send({ aqi: 'part', id: m.id, ...part });
      if (!handler) reply({ ok: false, value: null, error: `no handler for ${m.kind}` });
      else
        handler().then(
          (value) => reply({ ok: true, value }),
          (err: unknown) => reply({ ok: false, value: null, error: describeError(err) }),
        );
    }
  });
  return {
    ask<T>(kind: string) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new AppError('CLUSTER_ASK_FAILED', `no answer from the primary to "${kind}" within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        waiting.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        });
        primary.send({ aqi: 'ask', kind, id });
      });
    },
    answer(kind, handler) {
      handlers.set(kind, handler);
    },
  };
}

/** Combines the workers' parts of one kind of question into the answer. */
export type Combine = (parts: unknown[]) => Promise<unknown> | unknown;

/**
 * The primary's side: every worker's question is put to all live workers (`workers()` at that moment);
 * parts that do not come within `timeoutMs` (a worker restarting) are left out, and said so in the log.
 */
export function primaryHub(options: {
  workers: () => Channel[];
  combine: Record<string, Combine>;
  onMissing?: (kind: string, missing: number) => void;
  timeoutMs?: number;
}) {
  let nextId = 0;
  const collecting = new Map<number, (part: Extract<Message, { aqi: 'part' }>) => void>();

  const collect = (kind: string): Promise<unknown[]> => {
    const targets = options.workers();
    const id = nextId++;
    const parts: unknown[] = [];
    return new Promise((resolve) => {
      let outstanding = targets.length;
      const finish = () => {
        collecting.delete(id);
        clearTimeout(timer);
        if (outstanding > 0) options.onMissing?.(kind, outstanding);
        resolve(parts);
      };
      const timer = setTimeout(finish, options.timeoutMs ?? 3000);
      collecting.set(id, (part) => {
        if (part.ok) parts.push(part.value);
        outstanding -= 1;
        if (outstanding === 0) finish();
      });
      if (targets.length === 0) finish();
      for (const target of targets) target.send({ aqi: 'collect', kind, id });
    });
  };

  /** Wires a (new) worker: its questions are answered, its parts reach the collection they belong to. */
  const attach = (worker: Channel) => {
    worker.onMessage((raw) => {
      const parsed = message.safeParse(raw);
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.aqi === 'part') collecting.get(m.id)?.(m);
      if (m.aqi !== 'ask') return;
      const combine = options.combine[m.kind];
      if (!combine) {
        worker.send({ aqi: 'answer', id: m.id, ok: false, value: null, error: `unknown question "${m.kind}"` });
        return;
      }
      collect(m.kind)
        .then((parts) => combine(parts))
        .then(
          (value) => worker.send({ aqi: 'answer', id: m.id, ok: true, value }),
          (err: unknown) => worker.send({ aqi: 'answer', id: m.id, ok: false, value: null, error: describeError(err) }),
        );
    });
  };
  return { attach };
}
