// Two kyc-server replicas on one Redis, behind a round-robin proxy, in front of one Cybrid (a
// sandbox server playing it): the way an integrator runs it in production (deployment.ts).
// Every request the browser makes goes to the next replica, so each step of a flow crosses
// between them; replicas are stopped and restarted mid-flow, and so is Redis.
import { test, expect, devices, type Page } from '@playwright/test';
import fs from 'node:fs';
import { Deployment, SERVER, exited, freePort, ok, start, until } from './deployment';
import { catalog, completeCapture, expectCapture, expectScreen } from './helpers';

test.skip(!fs.existsSync(SERVER), `the server binary ${SERVER} is not built`);

let deployment: Deployment;

test.beforeEach(async ({}, info) => {
  deployment = await Deployment.up(info.outputPath('processes'));
});

test.afterEach(async () => {
  await deployment?.down();
});

/** Signs a new customer in through `/launch`, as the integrator's app sends them. */
async function launch(page: Page): Promise<string> {
  const customer = await deployment.customer();
  await page.goto(`${deployment.base}/launch?token=${deployment.launchToken(customer)}`);
  return customer;
}

test('a whole verification, every request on the next replica', async ({ page }) => {
  const cat = await catalog(page.request);
  const customer = await launch(page);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectCapture(page);
  await completeCapture(page);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect(await deployment.verifications(customer)).toHaveLength(1);
  // Both replicas answered the app's API calls and its polling.
  expect(deployment.replicasFor('/api/')).toEqual(new Set([0, 1]));
});

test.describe('desktop only', () => {
  test.skip(({ isMobile }) => isMobile, 'these drive their own phone, or the API alone');

  test('a handoff code minted through one replica is redeemed through the other; the desktop follows', async ({ page, browser }) => {
    const cat = await catalog(page.request);
    const customer = await launch(page);
    await expectScreen(page, cat, 'PrepTitle');
    await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
    await expectScreen(page, cat, 'HandoffTitle');
    const link = (await page.getByTestId('handoff-link').textContent())!;
    expect(link.startsWith(`${deployment.base}/handoff/`)).toBe(true);

    const phone = await browser.newContext({ ...devices['Pixel 7'] });
    const phonePage = await phone.newPage();
    await phonePage.goto(link);
    await phonePage.getByRole('button', { name: cat.messages.PageContinueButton }).click();
    await expectScreen(phonePage, cat, 'PrepTitle');
    await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneConnected);
    await phonePage.getByRole('button', { name: cat.messages.PrepStart }).click();
    await expectCapture(phonePage);
    await completeCapture(phonePage);
    await expectScreen(phonePage, cat, 'VerifiedTitle');
    await expectScreen(page, cat, 'VerifiedTitle');
    await phone.close();

    expect(deployment.replicasFor('/handoff', 'POST').has(0)).toBe(true);
    expect([...deployment.replicasFor('/handoff/', 'POST')]).toEqual([1]);
    expect(await deployment.verifications(customer)).toHaveLength(1);
  });

  test('twenty simultaneous creates for one customer over both replicas make one verification', async ({ page }) => {
    const cat = await catalog(page.request);
    const customer = await launch(page);
    await expectScreen(page, cat, 'PrepTitle');
    const session = await (await page.request.get(`${deployment.base}/session`)).json();
    const creates = await Promise.all(
      Array.from({ length: 20 }, () =>
        page.request.post(`${deployment.base}/api/identity_verifications`, {
          headers: { 'x-csrf-token': session.csrf_token },
          data: { type: 'kyc', method: 'id_and_selfie', customer_guid: customer },
        }),
      ),
    );
    const answered = await Promise.all(creates.map(async (r) => [r.status(), (await r.json()).guid]));
    // Every create answered with the one verification, made once (201) or found (200).
    expect(answered.every(([status]) => status === 200 || status === 201), JSON.stringify(answered)).toBe(true);
    expect(new Set(answered.map(([, guid]) => guid)).size).toBe(1);
    expect(answered.filter(([status]) => status === 201)).toHaveLength(1);
    expect(deployment.replicasFor('/api/identity_verifications', 'POST')).toEqual(new Set([0, 1]));
    expect(await deployment.verifications(customer)).toHaveLength(1);
  });

  test('a replica stopped mid-flow finishes its requests and exits; the customer carries on through the other', async ({ page }) => {
    const cat = await catalog(page.request);
    const customer = await launch(page);
    await expectScreen(page, cat, 'PrepTitle');
    await page.getByRole('button', { name: cat.messages.PrepStart }).click();
    await expectCapture(page);
    expect(await deployment.stopReplica(0)).toBe(0);
    await completeCapture(page);
    await expectScreen(page, cat, 'VerifiedTitle');
    // No new sign-in: the session lives in Redis, and replica 1 has it.
    expect(page.url().includes('/launch')).toBe(false);
    expect(await deployment.verifications(customer)).toHaveLength(1);
  });

  test('both replicas restarted: the session and an unused handoff code survive', async ({ page, browser }) => {
    const cat = await catalog(page.request);
    await launch(page);
    await expectScreen(page, cat, 'PrepTitle');
    await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
    await expectScreen(page, cat, 'HandoffTitle');
    const link = (await page.getByTestId('handoff-link').textContent())!;
    expect(await deployment.stopReplica(0)).toBe(0);
    expect(await deployment.stopReplica(1)).toBe(0);
    await deployment.startReplica(0);
    await deployment.startReplica(1);

    const phone = await browser.newContext({ ...devices['Pixel 7'] });
    const phonePage = await phone.newPage();
    await phonePage.goto(link);
    await phonePage.getByRole('button', { name: cat.messages.PageContinueButton }).click();
    await expectScreen(phonePage, cat, 'PrepTitle');
    await phone.close();
    // The desktop was never signed out: a reload lands where it was, following the phone.
    await page.reload();
    await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneConnected);
  });

  test('Redis stopped mid-flow: 503 with Retry-After, the app keeps trying, and carries on when Redis is back', async ({ page }) => {
    const cat = await catalog(page.request);
    const customer = await launch(page);
    await expectScreen(page, cat, 'PrepTitle');
    await deployment.stopRedis();

    const session = await page.request.get(`${deployment.base}/session`);
    expect(session.status()).toBe(503);
    expect(Number(session.headers()['retry-after'])).toBeGreaterThan(0);
    const ready = await fetch(`http://127.0.0.1:${deployment.ports.replicas[0]}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('store');

    // A reload in the outage: the app says it is trying again, never a blank page or a
    // sign-in error.
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: cat.messages.RetryingBanner })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(cat.messages.LoadingTitle);

    await deployment.startRedis();
    await until('replica 0 ready again', () => ok(`http://127.0.0.1:${deployment.ports.replicas[0]}/readyz`));
    await expectScreen(page, cat, 'PrepTitle', 60_000);
    await expect(page.getByText(cat.messages.RetryingBanner)).toHaveCount(0);
    await page.getByRole('button', { name: cat.messages.PrepStart }).click();
    await expectCapture(page);
    await completeCapture(page);
    await expectScreen(page, cat, 'VerifiedTitle');
    expect(await deployment.verifications(customer)).toHaveLength(1);
  });

  test('a Redis that cannot be reached at start stops the server with a clear message', async ({}, info) => {
    const port = await freePort();
    const log = info.outputPath('unreachable.log');
    const child = start(SERVER, ['--addr', `127.0.0.1:${port}`, '--dist', 'dist'], { KYC_REDIS_URL: `redis://127.0.0.1:${await freePort()}/` }, log);
    expect(await exited(child)).not.toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toContain('KYC_REDIS_URL');
  });
});
