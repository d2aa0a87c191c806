import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { Router } from 'express';

import { bundleDashboard, dashboardDir } from '../dashboard/bundle';

/**
 * The dashboard: `/` sends the browser to `/dashboard/`, which serves its page, its style sheet and its
 * script (bundled once, when the routes are built). Every asset is the project's own, so it works offline;
 * the page reads only the documented API.
 */
export function dashboardRoutes(): Router {
  const router = Router();
  const script = bundleDashboard();
  // A failed bundle is a bug of the sources: the page answers 500 for it, the rest of the API is unaffected.
  script.catch(() => undefined);
  const page = readFile(path.join(dashboardDir, 'index.html'), 'utf8');
  const style = readFile(path.join(dashboardDir, 'dashboard.css'), 'utf8');
  page.catch(() => undefined);
  style.catch(() => undefined);

  router.get('/', (_req, res) => res.redirect(302, '/dashboard/'));
  // Routing is not strict: this serves both /dashboard and /dashboard/ (the page's links are absolute).
  router.get('/dashboard', async (_req, res) => {
    res
      .set('cache-control', 'no-cache')
      .type('html')
      .send(await page);
  });
  router.get('/dashboard/dashboard.css', async (_req, res) => {
    res
      .set('cache-control', 'no-cache')
      .type('css')
      .send(await style);
  });
  router.get('/dashboard/dashboard.js', async (_req, res) => {
    res
      .set('cache-control', 'no-cache')
      .type('js')
      .send(await script);
  });
  return router;
}
