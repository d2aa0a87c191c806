import { getJson, setApiKey } from './api';
import { h, link, showError } from './dom';
import { followLive } from './live';
import { locationView } from './location-view';
import { modelsView } from './models-view';
import { linksAnswer, locationsAnswer } from './schemas';
import { sensorsView } from './sensors-view';

/** The dashboard: three views over the documented API, live updates from GET /events, links to the UIs. */
async function start(): Promise<void> {
  const [links, { locations }] = await Promise.all([
    getJson('/links', linksAnswer),
    getJson('/locations', locationsAnswer),
  ]);
  document
    .getElementById('links')
    ?.append(
      link(links.temporal.workflows, 'Temporal'),
      link(links.mlflow.models, 'MLflow'),
      link(links.airflow.ui, 'Airflow'),
      link('/docs', 'API'),
    );
  const keyInput = document.getElementById('api-key') as HTMLInputElement | null;
  keyInput?.addEventListener('input', () => setApiKey(keyInput.value));

  const section = (name: string) => document.getElementById(`view-${name}`) ?? h('section');
  const place = locationView(section('location'), locations, links);
  const sensors = sensorsView(section('sensors'), locations, links);
  const models = modelsView(section('models'), links);
  const refresh: Record<string, () => Promise<unknown>> = { sensors: sensors.refresh, models: models.refresh };

  for (const button of document.querySelectorAll<HTMLButtonElement>('nav button')) {
    button.addEventListener('click', () => {
      const view = button.dataset.view ?? 'location';
      for (const other of document.querySelectorAll<HTMLButtonElement>('nav button'))
        other.classList.toggle('active', other === button);
      for (const name of ['location', 'sensors', 'models']) section(name).hidden = name !== view;
      void refresh[view]?.().catch(showError);
    });
  }
  followLive({ onReading: place.onReading, onAnomaly: sensors.onAnomaly });
  await place.start();
}

start().catch((err: unknown) => {
  console.error(err);
  showError(err);
});
