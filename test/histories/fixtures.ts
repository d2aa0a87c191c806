import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * The recorded workflow histories the replay test runs against the current workflow code: one file per
 * path through a workflow, `<workflowType>-<case>.json`, in the JSON format of `temporal workflow show
 * --output json` and the Web UI's download (`historyToJSON`). test/histories/capture.ts writes them.
 */
export const historiesDir = path.resolve(__dirname, '..', 'fixtures', 'histories');

export function historyFileName(workflowType: string, caseName: string): string {
  return `${workflowType}-${caseName}.json`;
}

/**
 * History ⇄ proto3 JSON, as the SDK's `historyToJSON` / `historyFromJSON` (proto-utils) do, but with the
 * protobufjs copy that built @temporalio/proto's types. npm installs one protobufjs 8 inside each
 * @temporalio package here (the root holds grpc's protobufjs 7), and the SDK's functions, which take
 * @temporalio/common's copy, then throw "type must be a Type" (an instanceof across the two copies).
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): History | null;
}
const protojson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

export function historyToJson(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return `${JSON.stringify(protojson.toJson(historyType, message), null, 2)}\n`;
}

export function historyFromJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history) throw new TypeError('not a workflow history');
  return history;
}

export interface HistoryFixture extends HistoryAndWorkflowId {
  file: string;
  /** The workflow type named in the history's first event. */
  workflowType: string;
}

interface StartedEvent {
  workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string }; workflowId?: string };
}

/**
 * Every recorded history, with the workflow id and type its first event names. The replay must use the
 * original workflow id: a workflow that derives a child's id from its own would otherwise diverge.
 */
export function readHistoryFixtures(dir = historiesDir): HistoryFixture[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { events?: StartedEvent[] };
      const started = json.events?.[0]?.workflowExecutionStartedEventAttributes;
      const workflowType = started?.workflowType?.name;
      const workflowId = started?.workflowId;
      if (!workflowType || !workflowId) {
        throw new Error(`${file}: the first event is not a WorkflowExecutionStarted with a type and a workflow id`);
      }
      const expectedPrefix = `${workflowType}-`;
      if (!file.startsWith(expectedPrefix)) {
        throw new Error(`${file}: holds a ${workflowType} history, so its name must start with "${expectedPrefix}"`);
      }
      return { file, workflowType, workflowId, history: historyFromJson(json) };
    });
}
