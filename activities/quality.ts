import { Context } from '@temporalio/activity';

import { assessQuality, type QualityReport } from '../core/quality/assess';

import type { QualityRepository } from './repositories';

export interface QualityOutcome {
  reportId: number;
  verdict: QualityReport['verdict'];
  rowsChecked: number;
  /** One line per check that did not pass. */
  findings: string[];
}

export function createQualityActivities({ quality }: { quality: QualityRepository }) {
  return {
    /** Reads the window from PostgreSQL, runs every check, stores the report and returns its verdict. */
    async assessDataQuality(input: {
      locationIds: string[];
      from: string;
      to: string;
      now: string;
    }): Promise<QualityOutcome> {
      const runId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const rows = await quality.loadRows(input.locationIds, input.from, input.to);
      const report = assessQuality({
        window: { start: input.from, end: input.to },
        now: input.now,
        locationIds: input.locationIds,
        rows,
      });
      const reportId = await quality.saveReport({ runId, ...input, report });
      return {
        reportId,
        verdict: report.verdict,
        rowsChecked: report.rowsChecked,
        findings: report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.status} ${c.name}: ${c.detail}`),
      };
    },
  };
}

export type QualityActivities = ReturnType<typeof createQualityActivities>;
