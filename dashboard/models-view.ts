import { accuracyCells, championAccuracy } from './accuracy';
import { getJson, postJson } from './api';
import { h, link, showError } from './dom';
import {
  accuracyAnswer,
  approvalsAnswer,
  approvalTaken,
  driftAnswer,
  lineupAnswer,
  promotionsAnswer,
  type Links,
} from './schemas';

const figure = (metrics: Record<string, number>, name: string) => {
  const value = metrics[name];
  return value === undefined ? '—' : value.toFixed(2);
};

/**
 * The models: each one's champion and challenger with their holdout error against the baseline, each
 * champion's live error per horizon beside its holdout error (GET /monitoring/accuracy), the training runs waiting for a decision (approve or reject with the API key), the champions' drift verdicts
 * with their reports, and the promotion audit.
 */
export function modelsView(root: HTMLElement, links: Links) {
  const lineupBox = h('div');
  const accuracyBox = h('div');
  const approvalsBox = h('div');
  const driftBox = h('div');
  const auditBox = h('div');
  root.append(
    h(
      'p',
      {},
      link(links.mlflow.models, 'MLflow models'),
      ' ',
      link(links.airflow.dags.training ?? links.airflow.ui, 'Airflow aqi_training'),
      ' ',
      link(links.temporal.workflows, 'Temporal runs'),
    ),
    h('h3', {}, 'Champion and challenger'),
    lineupBox,
    h('h3', {}, 'Live accuracy of the champions (last 7 days of predictions)'),
    accuracyBox,
    h('h3', {}, 'Waiting for approval'),
    approvalsBox,
    h('h3', {}, 'Drift verdicts ', link(links.airflow.dags.monitoring ?? links.airflow.ui, 'Airflow aqi_monitoring')),
    driftBox,
    h('h3', {}, 'Promotion audit'),
    auditBox,
  );

  async function drawLineup(): Promise<void> {
    const [{ models }, { accuracy }] = await Promise.all([
      getJson('/models/lineup', lineupAnswer),
      getJson('/monitoring/accuracy', accuracyAnswer),
    ]);
    const cell = (v: (typeof models)[number]['champion']) =>
      v
        ? h(
            'td',
            {},
            link(v.versionUrl, `v${v.version}`),
            ` MAE ${figure(v.holdout, 'test_mae')} (baseline ${figure(v.holdout, 'baseline_test_mae')}) `,
            v.runUrl ? link(v.runUrl, 'run') : null,
          )
        : h('td', { class: 'muted' }, 'none');
    lineupBox.replaceChildren(
      h(
        'table',
        { 'data-testid': 'lineup' },
        h('tr', {}, h('th', {}, 'model'), h('th', {}, 'champion (holdout)'), h('th', {}, 'challenger (holdout)')),
        ...models.map((m) =>
          h('tr', { 'data-model': m.name }, h('td', {}, m.name), cell(m.champion), cell(m.challenger)),
        ),
      ),
    );
    const rows = championAccuracy(models, accuracy);
    accuracyBox.replaceChildren(
      rows.length === 0
        ? h('p', { class: 'muted' }, 'no champion yet')
        : h(
            'table',
            { 'data-testid': 'live-accuracy' },
            h(
              'tr',
              {},
              h('th', {}, 'model'),
              h('th', {}, 'horizon'),
              h('th', {}, 'live MAE'),
              h('th', {}, 'holdout MAE'),
              h('th', {}, 'live / holdout'),
              h('th', {}, 'over'),
            ),
            ...rows.map((r) => {
              const cells = accuracyCells(r);
              return h(
                'tr',
                { 'data-model': r.model, 'data-version': r.version, 'data-horizon': r.live?.horizonHours },
                h('td', {}, `${r.model} v${r.version}`),
                h('td', {}, cells.horizon),
                h('td', { 'data-cell': 'live-mae' }, cells.liveMae),
                h('td', { 'data-cell': 'holdout-mae' }, cells.holdoutMae),
                h('td', { 'data-cell': 'ratio', class: (r.ratio ?? 0) > 1 ? 'worse' : undefined }, cells.ratio),
                h('td', { class: 'muted' }, cells.basis),
              );
            }),
          ),
    );
  }

  async function drawApprovals(): Promise<void> {
    const { approvals } = await getJson('/approvals', approvalsAnswer);
    const decide = async (workflowId: string, decision: 'approve' | 'reject', result: HTMLElement) => {
      try {
        const taken = await postJson(
          `/pipelines/${encodeURIComponent(workflowId)}/approval`,
          { decision },
          approvalTaken,
        );
        result.textContent = `${taken.decision}: ${taken.stage}`;
      } catch (err) {
        result.textContent = (err as Error).message;
      }
    };
    approvalsBox.replaceChildren(
      approvals.length === 0
        ? h('p', { class: 'muted' }, 'nothing waits for a decision')
        : h(
            'table',
            { 'data-testid': 'approvals' },
            h(
              'tr',
              {},
              h('th', {}, 'model'),
              h('th', {}, 'version'),
              h('th', {}, 'holdout MAE'),
              h('th', {}, 'deadline'),
              h('th', {}, 'run'),
              h('th', {}, ''),
            ),
            ...approvals.map((a) => {
              const result = h('span', { 'data-testid': `approval-result-${a.workflowId}` });
              return h(
                'tr',
                {},
                h('td', {}, a.status?.modelName ?? '?'),
                h('td', {}, a.status?.version ?? '?'),
                h('td', {}, a.status?.evaluation?.candidate?.mae.toFixed(2) ?? '—'),
                h('td', {}, a.status?.deadline ?? ''),
                h(
                  'td',
                  { 'data-testid': `approval-links-${a.workflowId}` },
                  link(a.url, 'Temporal'),
                  ...a.triggers.flatMap((t) =>
                    t.url === undefined ? [] : [' · ', link(t.url, `Airflow ${t.detail.split('/')[0] ?? ''}`)],
                  ),
                ),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      'data-testid': `approve-${a.workflowId}`,
                      onclick: () => void decide(a.workflowId, 'approve', result),
                    },
                    'approve',
                  ),
                  ' ',
                  h(
                    'button',
                    {
                      'data-testid': `reject-${a.workflowId}`,
                      onclick: () => void decide(a.workflowId, 'reject', result),
                    },
                    'reject',
                  ),
                  ' ',
                  result,
                ),
              );
            }),
          ),
    );
  }

  async function drawDrift(): Promise<void> {
    const { reports } = await getJson('/monitoring/reports?limit=20', driftAnswer);
    const yesNo = (v: boolean | undefined) => (v === undefined ? '—' : v ? 'drift' : 'no drift');
    driftBox.replaceChildren(
      reports.length === 0
        ? h('p', { class: 'muted' }, 'no drift report yet (npx airq monitor)')
        : h(
            'table',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'model'),
              h('th', {}, 'dataset'),
              h('th', {}, 'prediction'),
              h('th', {}, 'summary'),
              h('th', {}, 'report'),
            ),
            ...reports.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, `${r.modelName} v${r.modelVersion}`),
                h('td', {}, yesNo(r.datasetDrift)),
                h('td', {}, yesNo(r.predictionDrift)),
                h('td', {}, r.summary ?? r.status),
                h(
                  'td',
                  {},
                  r.htmlUrl ? link(r.htmlUrl, 'HTML') : '',
                  ' ',
                  r.runUrl ? link(r.runUrl, 'MLflow run') : '',
                ),
              ),
            ),
          ),
    );
  }

  async function drawAudit(): Promise<void> {
    const { promotions } = await getJson('/models/promotions?limit=30', promotionsAnswer);
    auditBox.replaceChildren(
      h(
        'table',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'decided'),
          h('th', {}, 'model'),
          h('th', {}, 'version'),
          h('th', {}, 'decision'),
          h('th', {}, 'by'),
          h('th', {}, 'run'),
        ),
        ...promotions.map((p) =>
          h(
            'tr',
            {},
            h('td', {}, p.decidedAt.slice(0, 16)),
            h('td', {}, p.modelName),
            h('td', {}, p.modelVersion ?? '—'),
            h('td', {}, p.decision),
            h('td', {}, p.approver ?? ''),
            h('td', {}, link(p.url, 'Temporal')),
          ),
        ),
      ),
    );
  }

  return {
    refresh: () => Promise.all([drawLineup(), drawApprovals(), drawDrift(), drawAudit()]).catch(showError),
  };
}
