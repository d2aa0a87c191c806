import { lint } from './lint-source';

// Type-aware lint takes a few seconds per run.
jest.setTimeout(60_000);

const byName = `import type { Client } from '@temporalio/client';

export async function decideByName(client: Client): Promise<unknown[]> {
  const handle = await client.workflow.start('trainingPipeline', { taskQueue: 'q', workflowId: 'w', args: [] });
  await handle.signal('approvePromotion', { approver: 'ana', decision: 'approve' });
  await handle.executeUpdate(\`approvePromotion\`, { args: [{ approver: 'ana', decision: 'approve' }] });
  const status = await handle.query('promotionStatus');
  const result = (await handle.result()) as { outcome: string };
  return [status, result, { type: 'startWorkflow', workflowType: 'ingestHourly' }];
}
`;

const byDefinition = `import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';

import { ingestHourly } from '../workflows/ingest-hourly';
import { approvePromotionUpdate, promotionStatusQuery } from '../workflows/promotion-approval';
import { trainingPipeline } from '../workflows/training-pipeline';

export async function decideByDefinition(client: Client, pool: Pool): Promise<unknown[]> {
  const handle = await client.workflow.start(trainingPipeline, { taskQueue: 'q', workflowId: 'w', args: [] });
  const taken = await handle.executeUpdate(approvePromotionUpdate, { args: [{ approver: 'ana', decision: 'approve' }] });
  const status = await handle.query(promotionStatusQuery);
  const rows = await pool.query('SELECT 1');
  return [taken, status, rows, await handle.result(), { type: 'startWorkflow', workflowType: ingestHourly }];
}
`;

describe('lint keeps workflows and their messages named by their definitions', () => {
  it('when a workflow, signal, update or query is named by a string, or a result is cast, then lint rejects each', async () => {
    const messages = (await lint(byName, 'cli/models.ts')).filter((m) => m.ruleId === 'no-restricted-syntax');

    expect(messages.map((m) => m.message)).toEqual([
      expect.stringMatching(/^Start a workflow by its function/),
      expect.stringMatching(/defineSignal\/defineUpdate object/),
      expect.stringMatching(/defineSignal\/defineUpdate object/),
      expect.stringMatching(/defineQuery object/),
      expect.stringMatching(/instead of casting its result/),
      expect.stringMatching(/takes the workflow function as workflowType/),
    ]);
  });

  it('when they are passed as definitions, then nothing is reported, and SQL strings to pool.query stay allowed', async () => {
    const messages = await lint(byDefinition, 'cli/models.ts');

    // Not even a parse error: the same code, written with the definitions, is clean.
    expect(messages).toEqual([]);
  });
});
