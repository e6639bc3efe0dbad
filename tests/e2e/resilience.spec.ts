// Offline mid-flow, the Persona SDK failing to load, hostile backend values and hostile URLs.
import { test, expect, type Page, type Route } from '@playwright/test';
import { beginCapture, catalog, completeCapture, exitPersona, expectCapture, expectScreen, FAST, serverState, start, startCapture, texts, watchErrors } from './helpers';

test('offline mid-flow: a clear state that recovers by itself', async ({ page, context }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&inquiry_delay_ms=200&decision_delay_ms=10000`);
  await startCapture(page, cat);
  await completeCapture(page);
  await expectScreen(page, cat, 'CheckingTitle');
  await context.setOffline(true);
  const banner = page.getByRole('alert').filter({ hasText: cat.messages.OfflineBanner });
  await expect(banner).toBeVisible();
  // The decision comes in while the phone is offline (the test's own requests are not cut
  // off): the page keeps waiting calmly rather than failing.
  await expect.poll(async () => (await serverState(page)).customer_state, { timeout: 30_000 }).toBe('verified');
  await expectScreen(page, cat, 'CheckingTitle');
  await expect(banner).toBeVisible();
  await context.setOffline(false);
  await expect(banner).toHaveCount(0);
  await expectScreen(page, cat, 'VerifiedTitle');
});

test('a browser without the paint-timing API still starts the app', async ({ page }) => {
  // The page's bootstrap waits for the browser to report the first screen painted before it
  // starts the wasm; where the browser cannot report it (Safari), it must start at once.
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'PerformanceObserver', { value: undefined });
  });
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  expect(await page.evaluate(() => typeof window.PerformanceObserver)).toBe('undefined');
  expect(errors).toEqual([]);
});

/** index.html's own words in one of its templates, as served (the app's catalog is in the
 * wasm, which these tests hold back; the page may have used the template up already). */
async function pageText(page: Page, template: string, selector: string): Promise<string> {
  return page.evaluate(
    async ([id, sel]) => {
      const html = await (await fetch('/index.html')).text();
      const served = new DOMParser().parseFromString(html, 'text/html');
      return (served.getElementById(id) as HTMLTemplateElement).content.querySelector(sel)!.textContent!.trim();
    },
    [template, selector],
  );
}

test('the app is slow to arrive: the first screen says to keep the page open', async ({ page }) => {
  const cat = await catalog(page.request);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  await start(page, `scenario=passes&${FAST}`);
  const note = page.getByRole('status').filter({ hasText: await pageText(page, 'start-slow', 'p') });
  await expect(note).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.spinner')).toBeVisible();
  release();
  await expectScreen(page, cat, 'PrepTitle');
  await expect(note).toHaveCount(0);
});

test('the app itself does not load: say so, and try again', async ({ page }) => {
  const cat = await catalog(page.request);
  await page.route('**/*_bg.wasm', (route) => route.abort());
  await start(page, `scenario=passes&${FAST}`);
  const [title, advice, button] = await Promise.all(
    ['h1', '[role=alert]', 'button'].map((sel) => pageText(page, 'start-failed', sel)),
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('alert')).toHaveText(advice);
  await expect(page.locator('.spinner')).toHaveCount(0);
  await page.unroute('**/*_bg.wasm');
  await page.getByRole('button', { name: button }).click();
  await expectScreen(page, cat, 'PrepTitle');
});

test.describe('a French-speaking browser', () => {
  test.use({ locale: 'fr-CA' });

  test('gets the first screen in French, even when the app itself cannot load', async ({ page }) => {
    const fr = await texts('fr-CA');
    await page.route('**/*_bg.wasm', (route) => route.abort());
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');
    await expect(page).toHaveTitle(fr.AppTitle);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PageLoadFailedTitle);
    await expect(page.getByRole('alert')).toHaveText(fr.PageLoadFailedBody);
    await expect(page.getByRole('button', { name: fr.TryAgain })).toBeVisible();
  });

  test('gets the app in French from its first screen: the page carries the catalog', async ({ page }) => {
    const fr = await texts('fr-CA');
    // No catalog request can help: the French must come with the page.
    await page.route('**/locales/**', (route) => route.abort());
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
    await expect(page).toHaveTitle(`${fr.PrepTitle} · ${fr.AppTitle}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');
  });
});

/** Any load of the Persona SDK: the first, and retries with their own query. */
const SDK = /\/persona\.js(\?|$)/;

test('the Persona SDK does not load: say so, and try again', async ({ page, isMobile }) => {
  const cat = await catalog(page.request);
  // Every load of the SDK, retries included (they carry `?retry=N`).
  await page.route(SDK, (route) => route.abort());
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectScreen(page, cat, 'PersonaUnavailableTitle');
  await expect(page.getByText(cat.messages.PersonaUnavailableBody)).toBeVisible();
  // Another device may load what this one cannot (a blocker, a filtering network): at a
  // computer the phone is offered, with the device notices that say what is in the way.
  if (!isMobile) {
    await expect(page.getByRole('button', { name: cat.messages.ContinueOnPhone })).toBeVisible();
    await expect(page.locator('[data-notice=desktop]')).toBeVisible();
  }
  await page.unroute(SDK);
  await page.getByRole('button', { name: cat.messages.TryAgain }).click();
  await expectCapture(page);
});

test('a stalled SDK load that fails late does not close the Persona opened since', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the shell logic is the same on both; one viewport spends the 45 s wait');
  test.setTimeout(150_000);
  const errors = watchErrors(page);
  const cat = await catalog(page.request);
  // The first load of the SDK (the prep screen's preload, which the first launch waits on)
  // hangs; later loads go through.
  let stalled: Route | undefined;
  await page.route(SDK, (route) => {
    if (stalled) return route.continue();
    stalled = route;
  });
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  // The app gives up on Persona ever getting ready (45 s) and offers to try again.
  await expectScreen(page, cat, 'PersonaUnavailableTitle', 70_000);
  await page.getByRole('button', { name: cat.messages.TryAgain }).click();
  await expectCapture(page);
  await beginCapture(page);
  // Now the first load fails at last. Its error reaches the page's script element...
  // (listened for before the load is failed, so the event cannot come first).
  await page.evaluate(() =>
    document
      .querySelector('script[src$="persona.js"]')!
      .addEventListener('error', () => ((window as any).__sdkLoadFailed = true), { once: true }),
  );
  await stalled!.abort();
  await page.waitForFunction(() => (window as any).__sdkLoadFailed === true);
  // ...and must not close the customer's capture under way: it carries on to the end.
  await expect(page).toHaveURL(/\/capture$/);
  await expect(page.locator('iframe.persona-widget__iframe')).toBeVisible();
  await completeCapture(page, true);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(1);
  expect(errors.filter((e) => !/persona\.js|ERR_FAILED/.test(e))).toEqual([]);
});

test('hostile backend values are shown as text only', async ({ page }) => {
  const errors = watchErrors(page);
  const cat = await catalog(page.request);
  const long = 'x'.repeat(10_000);
  const rtl = '\u202Eevil\u202C \u05E9\u05DC\u05D5\u05DD';
  const html = '<img src=x onerror="window.__pwned=1">';
  await page.route('**/api/identity_verifications/*', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (body.state === 'completed') {
      Object.assign(body, {
        outcome: 'failed',
        failure_codes: [html, long, rtl],
        compliance_checks: null,
        compliance_decisions: [{ type: null, state: 'wobbly', failure_codes: null }],
        persona_state: 'teleported',
        error_message: '<script>window.__pwned=2</script>',
        extra: { nested: [null, { deeper: '\u0000' }] },
      });
    }
    await route.fulfill({ response, json: body });
  });
  // A failing scenario, so the customer stays unverified and the codes decide the screen.
  await start(page, `scenario=fails-retry&${FAST}`);
  await startCapture(page, cat);
  await completeCapture(page);
  await expectScreen(page, cat, 'ContactSupportTitle');
  const codes = page.locator('.codes code');
  await expect(codes).toHaveCount(3);
  await expect(codes.nth(0)).toHaveText(html);
  await expect(codes.nth(2)).toHaveText(rtl);
  await expect(page.locator('.codes img, .codes script, main img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  // The long code wraps inside the page instead of widening it.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
});

test('hostile addresses get clear pages and nothing reflected', async ({ page }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  for (const path of ['/nope/<b>x</b>', '/start/..%2F..%2Fetc', '/%E2%80%AEreversed', '/checking?x="><script>window.__pwned=1</script>']) {
    await page.goto(path);
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toBeVisible();
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    await expect(page.locator('body')).not.toContainText('<b>');
  }
  // A handoff code of the wrong length, a malformed one, and a very long one.
  for (const code of ['abc', 'x'.repeat(27) + '"><script>', 'y'.repeat(2000)]) {
    const response = await page.goto(`/handoff/${encodeURIComponent(code)}`);
    expect(response?.status()).toBe(410);
    await expectScreen(page, cat, 'PageCodeUsedTitle');
    expect(await page.content()).not.toContain('<script>');
  }
  // A remembered verification id that was tampered with is just ignored.
  await page.goto('/');
  await page.evaluate(() => sessionStorage.setItem('kyc-onboarding.verification', '"><img src=x onerror=window.__pwned=3>'));
  await page.reload();
  await expectScreen(page, cat, 'PrepTitle');
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
});

test('a camera refused in Persona\'s window: the saved screen says how to allow it again', async ({ page, browser }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  const blocked = page.locator('[data-notice=camera-blocked]');
  await expect(blocked).toHaveCount(0);
  await startCapture(page, cat);
  await beginCapture(page);
  // The customer answers "Don't allow" to the camera prompt, then leaves the window.
  // (Playwright's own context: the browser's default one is another.)
  const { targetInfo } = await (await page.context().newCDPSession(page)).send('Target.getTargetInfo');
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.setPermission', {
    permission: { name: 'camera' }, setting: 'denied', origin: new URL(page.url()).origin, browserContextId: targetInfo.browserContextId,
  });
  await exitPersona(page);
  await expectScreen(page, cat, 'PausedTitle');
  await expect(blocked).toBeVisible();
  await expect(blocked.locator('h3')).toHaveText(cat.messages.DeviceBlockedTitle);
});

test('a phone whose camera is refused hands off to "another device", not to "your phone"', async ({ page, browser, baseURL, isMobile }) => {
  test.skip(!isMobile, 'at a computer the other device is the phone');
  const cat = await catalog(page.request);
  const { targetInfo } = await (await page.context().newCDPSession(page)).send('Target.getTargetInfo');
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.setPermission', {
    permission: { name: 'camera' }, setting: 'denied', origin: new URL(baseURL!).origin, browserContextId: targetInfo.browserContextId,
  });
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await expect(page.locator('[data-notice=camera-blocked]')).toBeVisible();
  await page.getByRole('button', { name: cat.messages.ContinueOnAnotherDevice }).click();
  await expectScreen(page, cat, 'ContinueOnAnotherDevice');
  await expect(page.getByText(cat.messages.HandoffIntroOther)).toBeVisible();
  await expect(page.getByText(cat.messages.HandoffIntro)).toHaveCount(0);
  await expect(page.getByRole('img', { name: cat.messages.HandoffQrLabel })).toBeVisible();
});

test('a browser slow to answer the device check: the prep screen still knows a computer', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the computer case');
  const cat = await catalog(page.request);
  // The camera permission never answers (the prep screen waits 1.5 s, then shows).
  await page.addInitScript(() => {
    navigator.permissions.query = () => new Promise(() => {});
  });
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await expect(page.locator('[data-notice=desktop]')).toBeVisible();
  await expect(page.getByRole('button', { name: cat.messages.ContinueOnPhone })).toBeVisible();
});
