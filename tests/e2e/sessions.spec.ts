// Sessions that end, and the launch and header defences, written as the attacks of issue 31
// against a production-shaped deployment (deployment.ts: Cybrid mode, launch secret, two
// replicas on Redis behind a proxy). The server-level details (audience, key rotation, a
// planted `Domain` cookie on a `__Host-` origin, a redirecting identity host) are pinned by
// server/tests/security_*.rs over HTTP, and CSP reports by csp_report_metrics.rs (headless
// Chromium delivers none: it sends them through the Reporting API, which it holds back);
// here a real browser is on the other end.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { Deployment, SERVER } from './deployment';
import { catalog, expectScreen } from './helpers';

test.skip(!fs.existsSync(SERVER), `the server binary ${SERVER} is not built`);
// One deployment per test is heavy: the phone project adds nothing a desktop run does not.
test.skip(({ isMobile }) => isMobile, 'server-side defences: the desktop run covers them');

let deployment: Deployment;

test.beforeEach(async ({}, info) => {
  deployment = await Deployment.up(info.outputPath('processes'));
});

test.afterEach(async () => {
  await deployment?.down();
});

test('a link scanner fetching the sign-in link with HEAD does not spend it', async ({ page }) => {
  const cat = await catalog(page.request);
  const customer = await deployment.customer();
  const link = `${deployment.base}/launch?token=${deployment.launchToken(customer)}`;
  // What a mail or chat scanner does before the customer taps the link.
  const scan = await fetch(link, { method: 'HEAD', redirect: 'manual' });
  expect(scan.status).toBe(405);
  await page.goto(link);
  await expectScreen(page, cat, 'PrepTitle');
  // Spent now: the same link a second time is refused.
  const again = await fetch(link, { redirect: 'manual' });
  expect(again.status).not.toBe(303);
});

test("the integrator ends a customer's sessions: the next step says the session has ended", async ({ page }) => {
  const cat = await catalog(page.request);
  const customer = await deployment.customer();
  await page.goto(`${deployment.base}/launch?token=${deployment.launchToken(customer)}`);
  await expectScreen(page, cat, 'PrepTitle');
  // The integrator's backend (account closed, lost phone reported) ends every session.
  expect(await deployment.endSessions(customer)).toBe(200);
  // The same signed call cannot be played again.
  expect(await deployment.endSessions(customer)).not.toBe(200);
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectScreen(page, cat, 'SessionEndedTitle');
  // Nothing was created for the ended session.
  expect(await deployment.verifications(customer)).toHaveLength(0);
  // A reload does not bring the customer back either.
  await page.reload();
  await expect(page.getByRole('button', { name: cat.messages.PrepStart })).toHaveCount(0);
});

test('logging out ends the session on every replica', async ({ page }) => {
  const cat = await catalog(page.request);
  const customer = await deployment.customer();
  await page.goto(`${deployment.base}/launch?token=${deployment.launchToken(customer)}`);
  await expectScreen(page, cat, 'PrepTitle');
  const session = await (await page.request.get(`${deployment.base}/session`)).json();
  // Without the CSRF token a cross-site form cannot log the customer out...
  expect((await page.request.post(`${deployment.base}/logout`)).status()).toBe(403);
  // ...with it, the session ends (the proxy sends the two calls to different replicas).
  const out = await page.request.post(`${deployment.base}/logout`, { headers: { 'x-csrf-token': session.csrf_token } });
  expect(out.ok()).toBe(true);
  for (let i = 0; i < 2; i++) {
    expect((await page.request.get(`${deployment.base}/session`)).status()).toBe(401);
  }
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectScreen(page, cat, 'SessionEndedTitle');
});
