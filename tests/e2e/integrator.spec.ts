// What an integrator configures and receives: languages, branding, support contact, tip
// groups, and the events told to the host page.
import { test, expect, type Page } from '@playwright/test';
import { catalog, completeCapture, expectCapture, expectScreen, FAST, persona, start, startCapture, texts } from './helpers';

// Set by playwright.config.ts, which starts that server.
const BRANDED = `http://127.0.0.1:${process.env.E2E_BRANDED_PORT}`;

test.describe('languages', () => {
  test.use({ locale: 'fr-CA' });

  test('the browser language chooses French, and Persona gets it', async ({ page }) => {
    const fr = await texts('fr-CA');
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');
    await page.getByRole('button', { name: fr.PrepStart }).click();
    await expectCapture(page);
    const src = await page.locator('iframe.persona-widget__iframe').getAttribute('src');
    expect(src).toContain('language=fr');
  });

  test('the switcher changes the language and keeps it across a reload', async ({ page }) => {
    const es = await texts('es-MX');
    const cat = await catalog(page.request);
    await start(page, `scenario=passes&${FAST}`);
    await page.getByRole('combobox').selectOption('es-MX');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es-MX');
    // The tab's title follows the language too.
    await expect(page).toHaveTitle(`${es.PrepTitle} · ${es.AppTitle}`);
    const reloaded = await page.reload();
    // The server draws the reloaded page in Spanish before the app starts: the browser's
    // French never shows in between.
    expect(await reloaded!.text()).toContain('<html lang="es-MX">');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    // Another tab of the same browser session keeps the pick too.
    const other = await page.context().newPage();
    const opened = await other.goto('/start');
    expect(await opened!.text()).toContain('<html lang="es-MX">');
    await expect(other.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    await other.close();
    await page.getByRole('combobox').selectOption('en');
    await expectScreen(page, cat, 'PrepTitle');
    expect(await (await page.reload())!.text()).toContain('<html lang="en">');
  });

  test('the switcher shows the picked language while its texts load', async ({ page }) => {
    const es = await texts('es-MX');
    await start(page, `scenario=passes&${FAST}`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/locales/es-MX.json', async (route) => {
      await held;
      await route.continue();
    });
    const asked = page.waitForRequest('**/locales/es-MX.json');
    await page.getByRole('combobox').selectOption('es-MX');
    await asked;
    // The app has taken the pick in (it asked for the texts) and rendered what that set
    // off (a task queued now runs after it): the list still shows the pick.
    await page.evaluate(() => new Promise((done) => setTimeout(done)));
    expect(await page.getByRole('combobox').inputValue()).toBe('es-MX');
    release();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    await expect(page.getByRole('combobox')).toHaveValue('es-MX');
  });

  test('changing language by keyboard keeps focus on the switcher', async ({ page }) => {
    const es = await texts('es-MX');
    const fr = await texts('fr-CA');
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
    const switcher = page.getByRole('combobox');
    await switcher.focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    // The page is in Spanish and the customer is still on the switcher, not sent elsewhere.
    await expect(page.getByRole('combobox')).toBeFocused();
    // A later screen change moves focus to its heading as usual.
    await page.getByRole('button', { name: es.PrepStart }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  });

  test('a catalog that arrives late does not undo the customer\'s choice', async ({ page }) => {
    const es = await texts('es-MX');
    const fr = await texts('fr-CA');
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
    // Reloaded as a page without French in it (from a server that does not render pages
    // per language, as when an integrator hosts the build): the app fetches French, the
    // browser's language.
    await page.route('**/*', async (route) => {
      // The app's page only: not the Persona preload frame, whose request can still be on
      // its way when the test ends (reading it then fails the test with "disposed").
      const request = route.request();
      if (request.resourceType() !== 'document' || request.frame() !== page.mainFrame()) return route.continue();
      const response = await route.fetch();
      const body = (await response.text()).replace(/<script type="application\/json" id="kyc-catalog"[^]*?<\/script>/, '');
      const headers = { ...response.headers() };
      delete headers['content-encoding'];
      delete headers['content-length'];
      await route.fulfill({ status: response.status(), headers, body });
    });
    // French is held back until Spanish has been chosen and shown.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Marks the page once the app has read French's body and everything that reading set
    // off has run (a timer queued when the body is in fires after the app's own promise
    // callbacks and the rendering they start).
    await page.addInitScript(() => {
      const text = Response.prototype.text;
      Response.prototype.text = function (this: Response) {
        const body = text.call(this);
        if (this.url.endsWith('/locales/fr-CA.json')) {
          body.then(() => setTimeout(() => ((window as any).__frenchHandled = true)));
        }
        return body;
      };
    });
    await page.route('**/locales/fr-CA.json', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    await page.getByRole('combobox').selectOption('es-MX');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    release();
    await page.waitForFunction(() => (window as any).__frenchHandled === true);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es-MX');
  });

  test('a language that cannot be loaded says so and keeps the page as it was', async ({ page }) => {
    const fr = await texts('fr-CA');
    const es = await texts('es-MX');
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
    // Spanish cannot be fetched (the connection dropped).
    await page.route('**/locales/es-MX.json', (route) => route.abort());
    await page.getByRole('combobox').selectOption('es-MX');
    // Said in the language still in use, and the list shows that language again.
    await expect(page.getByRole('alert')).toHaveText(fr.LanguageUnavailable);
    await expect(page.getByRole('combobox')).toHaveValue('fr-CA');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');
    // Once it can be fetched, picking it again works and the note goes away.
    await page.unroute('**/locales/es-MX.json');
    await page.getByRole('combobox').selectOption('es-MX');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('the URL can ask for a language', async ({ page }) => {
    const es = await texts('es-MX');
    await start(page, `scenario=passes&${FAST}`);
    await page.goto('/checking?lang=es');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
    // The address follows the screen and keeps the language, so a reload stays in Spanish.
    await expect(page).toHaveURL(/\/start\?lang=es-MX$/);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.PrepTitle);
  });
});

/** Collects the app's DOM events on `window` from page load on. */
async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as any).__events = [];
    addEventListener('kyc-onboarding', (e: any) => (window as any).__events.push(e.detail));
  });
}

test('events reach the page by a DOM event, with no personal data or token', async ({ page }) => {
  await recordEvents(page);
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await completeCapture(page);
  await expectScreen(page, cat, 'VerifiedTitle');
  const events = await page.evaluate(() => (window as any).__events);
  expect(events.map((e: any) => e.type)).toEqual(['started', 'persona_ready', 'persona_completed', 'outcome']);
  expect(events[3]).toEqual({ source: 'kyc-onboarding', version: 1, type: 'outcome', outcome: 'verified' });
  for (const e of events) expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['source', 'type', 'version']));
  expect(JSON.stringify(events)).not.toMatch(/guid|token|inq_|pst_|csrf/);
});

test('embedded in an iframe, the app posts its events to the host origin', async ({ page, isMobile }) => {
  test.skip(isMobile, 'one viewport is enough');
  const cat = await catalog(page.request);
  await page.goto(`/sandbox/embed?scenario=fails-retry&${FAST}`);
  const app = page.frameLocator('iframe.embed');
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(cat.messages.PrepTitle);
  await app.getByRole('button', { name: cat.messages.PrepStart }).click();
  const widget = app.frameLocator('iframe.persona-widget__iframe');
  await widget.getByRole('button', { name: 'Begin' }).click();
  await widget.getByRole('button', { name: 'Take photo of the front' }).click();
  await widget.getByRole('button', { name: 'Take photo of the back' }).click();
  await widget.getByRole('button', { name: 'Take selfie' }).click();
  await widget.getByRole('button', { name: 'Submit' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(cat.messages.RetryTitle, { timeout: 30_000 });
  const events = page.getByTestId('host-events').locator('li');
  await expect(events).toHaveCount(4);
  const received = (await events.allTextContents()).map((t) => JSON.parse(t));
  expect(received.map((e) => e.type)).toEqual(['started', 'persona_ready', 'persona_completed', 'outcome']);
  expect(received[2]).toMatchObject({ status: 'failed' });
  expect(received[3]).toMatchObject({ outcome: 'retry' });
});

test('opened in a window by a page on another origin, the app posts its events to it', async ({ page, isMobile, baseURL }) => {
  test.skip(isMobile, 'one viewport is enough');
  const cat = await catalog(page.request);
  // The host page is at KYC_HOST_ORIGIN (127.0.0.1); the app opens at another origin
  // (localhost, same server), as an integrator's site opening a hosted app would.
  await page.goto('/healthz');
  await page.evaluate(() => {
    (window as any).__messages = [];
    window.addEventListener('message', (e) => (window as any).__messages.push({ origin: e.origin, data: e.data }));
  });
  const appOrigin = baseURL!.replace('127.0.0.1', 'localhost');
  const [app] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((url) => void window.open(url), `${appOrigin}/sandbox/start?scenario=passes&${FAST}`),
  ]);
  await startCapture(app, cat);
  await expect.poll(() => page.evaluate(() => (window as any).__messages.map((m: any) => m.data.type))).toEqual(['started', 'persona_ready']);
  const first = await page.evaluate(() => (window as any).__messages[0]);
  expect(first).toEqual({ origin: appOrigin, data: { source: 'kyc-onboarding', version: 1, type: 'started' } });
});

test('a Persona error is an event too', async ({ page }) => {
  await recordEvents(page);
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await persona(page).getByRole('button', { name: 'Simulate an error' }).click();
  await expectScreen(page, cat, 'PersonaErrorTitle');
  const events = await page.evaluate(() => (window as any).__events);
  expect(events.at(-1)).toEqual({ source: 'kyc-onboarding', version: 1, type: 'error', code: 'persona_application_error' });
});

test.describe('an integrator brand', () => {
  test.use({ baseURL: BRANDED, locale: 'en-US' });

  test('name, logo, colours, radius, font, tip groups and language from the configuration', async ({ page }) => {
    const fr = await texts('fr-CA');
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
    await expect(page.getByRole('img', { name: 'Acme Bank' })).toBeVisible();
    const start_button = page.getByRole('button', { name: fr.PrepStart });
    const style = await start_button.evaluate((b) => {
      const s = getComputedStyle(b);
      return { bg: s.backgroundColor, color: s.color, radius: s.borderTopLeftRadius, font: s.fontFamily };
    });
    expect(style).toEqual({ bg: 'rgb(11, 93, 59)', color: 'rgb(255, 255, 255)', radius: '4px', font: 'Georgia, serif' });
    const groups = page.locator('.tips details');
    await expect(groups).toHaveCount(2);
    await expect(groups.nth(0)).toHaveAttribute('data-group', 'id-photo');
    await expect(groups.nth(1)).toHaveAttribute('data-group', 'selfie');
    // The customer's own choice beats the integrator's language.
    await page.getByRole('combobox').selectOption('en');
    const cat = await catalog(page.request);
    await expectScreen(page, cat, 'PrepTitle');
  });

  test('the rejected screen links to the integrator support', async ({ page }) => {
    const fr = await texts('fr-CA');
    await start(page, `scenario=already-rejected`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.RejectedTitle);
    const link = page.getByTestId('support-link');
    await expect(link).toHaveText('Message Acme support');
    await expect(link).toHaveAttribute('href', 'https://support.acme.example/kyc');
    // The whole window: support sites often refuse to load in a frame, and an app's web
    // view ignores new tabs.
    await expect(link).toHaveAttribute('target', '_top');
  });

  test('where nothing is left to do, a way back to the integrator app', async ({ page }) => {
    const fr = await texts('fr-CA');
    await start(page, `scenario=already-verified`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.VerifiedTitle);
    const back = page.getByRole('link', { name: fr.ReturnToBrand.replace('{name}', 'Acme Bank') });
    await expect(back).toHaveAttribute('href', 'acmebank://kyc/done');
  });

  test('with no session at all, the page still speaks the integrator language and leads back to their app', async ({ page }) => {
    const fr = await texts('fr-CA');
    // A reload after the session ended: nothing from the session, only what the page carries.
    await page.goto('/start');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.SessionEndedTitle);
    await expect(page.getByRole('img', { name: 'Acme Bank' })).toBeVisible();
    const back = page.getByRole('link', { name: fr.ReturnToBrand.replace('{name}', 'Acme Bank') });
    await expect(back).toHaveAttribute('href', 'acmebank://kyc/done');
  });

  test('a problem nothing here can fix still leads back to the integrator app', async ({ page }) => {
    const fr = await texts('fr-CA');
    // The customer record in a state this version does not know.
    await page.route('**/api/customers/*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), state: 'under_investigation' } });
    });
    await start(page, `scenario=passes&${FAST}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.UnknownCustomerTitle);
    await expect(page.getByTestId('support-link')).toBeVisible();
    const back = page.getByRole('link', { name: fr.ReturnToBrand.replace('{name}', 'Acme Bank') });
    await expect(back).toHaveAttribute('href', 'acmebank://kyc/done');
  });
});
