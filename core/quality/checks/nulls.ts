import type { MeasuredVariable } from '../../air-quality/reading';
import type { QualityContext, QualityRow } from '../context';
import { percent, ViolationLog, worstStatus, type QualityCheck, type QualityStatus } from '../report';

/**
 * The variables every row must carry: the five the seed project trains on, and the index the source reported
 * (its training target). Other variables are optional per source, so their nulls are not a defect.
 */
export const requiredVariables = ['pm2_5', 'pm10', 'carbon_monoxide', 'sulphur_dioxide', 'uv_index'] as const;
type RequiredVariable = Extract<MeasuredVariable, (typeof requiredVariables)[number]>;
type NullCheckedColumn = RequiredVariable | 'european_aqi';

const nullCheckedColumns: readonly NullCheckedColumn[] = [...requiredVariables, 'european_aqi'];

/** An absent value counts as missing too: a model cannot tell "not provided" from "not measured". */
function valueOf(row: QualityRow, column: NullCheckedColumn): number | null {
  const value = column === 'european_aqi' ? row.reportedEuropeanAqi : row.values[column];
  return value ?? null;
}

export function checkNulls(context: QualityContext): QualityCheck {
  const { rows, thresholds } = context;
  const log = new ViolationLog();
  const shares: string[] = [];
  const statuses: QualityStatus[] = [];

  for (const column of nullCheckedColumns) {
    let nulls = 0;
    for (const row of rows) {
      if (valueOf(row, column) !== null) continue;
      nulls++;
      log.add({ locationId: row.locationId, observedAt: row.observedAt, variable: column });
    }
    const share = rows.length === 0 ? 0 : nulls / rows.length;
    shares.push(`${column} ${percent(share)}`);
    if (share > thresholds.nullShareFailAbove) statuses.push('fail');
    else if (share > thresholds.nullShareWarnAbove) statuses.push('warn');
  }

  return {
    name: 'nulls',
    status: worstStatus(statuses),
    detail: `null shares over ${rows.length} rows: ${shares.join(', ')}`,
    violations: log.count,
    samples: log.samples,
  };
}
