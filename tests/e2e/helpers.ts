// Shared helpers for the end-to-end tests. Every expected text comes from the app's own
// catalog (served by the sandbox at /sandbox/api/catalog from the Rust core).
import { devices, expect, type Browser, type Page, type TestInfo, type APIRequestContext } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/** The repository's root. */
const root = path.resolve(__dirname, '..', '..');

export type Catalog = {
  messages: Record<string, string>;
  codes: Record<string, { category: string; reason: string; tips: string[] }>;
  unknown_code_reason: string;
  tips: Record<string, { title: string; tips: string[] }>;
};

let cached: Catalog | undefined;

/** The app's texts and failure-code catalog. */
export async function catalog(request: APIRequestContext): Promise<Catalog> {
  if (!cached) {
    const response = await request.get('/sandbox/api/catalog');
    expect(response.ok()).toBeTruthy();
    cached = (await response.json()) as Catalog;
  }
  return cached;
}

/** Fast sandbox timings for the tests (the app's polling stays as shipped). */
export const FAST = 'inquiry_delay_ms=300&decision_delay_ms=400&review_delay_ms=1500&customer_delay_ms=200';

/** FAST, but a compliance review lasts a minute: the review screen stays while a test looks. */
export const HELD_REVIEW = FAST.replace('review_delay_ms=1500', 'review_delay_ms=60000');

/** Starts a sandbox scenario in this page: a new customer with a session. */
export async function start(page: Page, query: string): Promise<void> {
  await page.goto(`/sandbox/start?${query}`);
}

/** Collects uncaught errors and console errors of the page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Waits until the page shows the screen whose heading is the message `key`. */
export async function expectScreen(page: Page, cat: Catalog, key: string, timeout = 30_000): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(cat.messages[key], { timeout });
  // The tab's title follows the heading the customer sees (on the app's screens; the
  // server's own pages are titled by their heading alone).
  if (!key.startsWith('Page')) await expect(page).toHaveTitle(`${cat.messages[key]} · ${cat.messages.AppTitle}`);
}

/**
 * The texts of a language other than English, by key, from the translators' catalog
 * (`locales/<tag>.json`; the app fetches the same texts in list form, written by the build).
 */
export async function texts(tag: string): Promise<Record<string, string>> {
  return JSON.parse(await fs.promises.readFile(path.join(root, 'locales', `${tag}.json`), 'utf8'));
}

/** Saves a screenshot named after the project (phone/desktop) and the screen. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: `tests/e2e/screenshots/${info.project.name}-${name}.png`, fullPage: true });
}

/** The Persona iframe (the sandbox's simulated widget, loaded by the real SDK). */
export function persona(page: Page) {
  return page.frameLocator('iframe.persona-widget__iframe');
}

/**
 * Leaves the simulated Persona flow with its exit button, as an event dispatched inside the
 * widget. The widget is a cross-site iframe that the app removes as soon as it hears of the
 * exit; a pointer click there can leave Playwright waiting forever for an input
 * acknowledgement from the removed frame, although the app did react (seen once in a CI run
 * of the leak test, which exits 22 times). The app's reaction is what the callers assert.
 */
export async function exitPersona(page: Page): Promise<void> {
  await persona(page).getByRole('button', { name: 'Exit the simulated flow' }).dispatchEvent('click');
}

/**
 * Presses Begin in the simulated widget and waits until it shows the first capture step. The
 * widget records the start with the sandbox before it moves on; leaving before that (an exit
 * right after the click) would resume on the intro again, as Persona does, and a later
 * `completeCapture(page, true)` would look for the front-photo step in vain.
 */
export async function beginCapture(page: Page): Promise<void> {
  await persona(page).getByRole('button', { name: 'Begin' }).click();
  await expect(persona(page).getByRole('button', { name: 'Take photo of the front' })).toBeVisible();
}

/** Goes through the simulated capture: begin (unless resuming), both sides, selfie, submit. */
export async function completeCapture(page: Page, resuming = false): Promise<void> {
  const frame = persona(page);
  if (!resuming) await frame.getByRole('button', { name: 'Begin' }).click();
  await frame.getByRole('button', { name: 'Take photo of the front' }).click();
  await frame.getByRole('button', { name: 'Take photo of the back' }).click();
  await frame.getByRole('button', { name: 'Take selfie' }).click();
  await frame.getByRole('button', { name: 'Submit' }).click();
}

/**
 * Goes through the simulated flow of a document request: begin, one photo of the document,
 * submit (the widget asks for no ID or selfie there).
 */
export async function sendDocument(page: Page): Promise<void> {
  const frame = persona(page);
  await frame.getByRole('button', { name: 'Begin' }).click();
  await frame.getByRole('button', { name: 'Take photo of the document' }).click();
  await frame.getByRole('button', { name: 'Submit' }).click();
}

/** The sandbox's counts for this page's customer. */
export async function serverState(page: Page): Promise<{ verifications: number; states: string[]; methods: string[]; persona_session_requests: number; customer_state: string }> {
  const response = await page.request.get('/sandbox/api/state');
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** Waits for Persona's window to be open (on a phone it covers the whole page). */
export async function expectCapture(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/capture$/, { timeout: 30_000 });
  await expect(page.locator('iframe.persona-widget__iframe')).toBeVisible();
  await expect(persona(page).getByRole('heading', { level: 1 })).toBeVisible();
}

/** Clicks the start button of the prep screen and waits for Persona's window. */
export async function startCapture(page: Page, cat: Catalog): Promise<void> {
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectCapture(page);
}

/**
 * A screen of the app (or of the server's own pages) and how a test reaches it: the fixture
 * of the accessibility tests that go screen by screen (`wcag.spec.ts`). `reach` leaves the
 * page on the screen whose heading is the message `heading`.
 */
export type Screen = {
  name: string;
  heading: string;
  reach: (page: Page, cat: Catalog, browser: Browser) => Promise<void>;
  /** Shown on a computer only (a phone is not sent to another phone). */
  desktop?: boolean;
};

/** A scenario's outcome: start, go through Persona's window, and wait there. */
function afterCapture(scenario: string, timings = FAST): Screen['reach'] {
  return async (page, cat) => {
    await start(page, `scenario=${scenario}&${timings}`);
    await startCapture(page, cat);
    await completeCapture(page);
  };
}

/** The desktop's handoff screen, with its code shown. */
async function handoffScreen(page: Page, cat: Catalog): Promise<void> {
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
  await expect(page.getByTestId('qr')).toBeVisible();
}

/** Every screen a customer can see, each held still long enough to be looked at. */
export const SCREENS: Screen[] = [
  { name: 'prep', heading: 'PrepTitle', reach: (page) => start(page, `scenario=passes&${FAST}`) },
  {
    name: 'preparing',
    // Its steady form: a few seconds in, the wait says what is happening and offers the ways
    // forward (issue 30), and stays so while the inquiry takes its minute.
    heading: 'StillPreparingTitle',
    reach: async (page, cat) => {
      await start(page, 'scenario=slow-inquiry&inquiry_delay_ms=60000');
      await expectScreen(page, cat, 'PrepTitle');
      await page.getByRole('button', { name: cat.messages.PrepStart }).click();
    },
  },
  {
    name: 'paused',
    heading: 'PausedTitle',
    reach: async (page, cat) => {
      await start(page, `scenario=passes&${FAST}`);
      await startCapture(page, cat);
      await beginCapture(page);
      await exitPersona(page);
    },
  },
  {
    name: 'document request',
    heading: 'DocumentsRequestedTitle',
    reach: (page) => start(page, `scenario=verified-asks-documents&${FAST}`),
  },
  {
    name: 'document refused',
    heading: 'DocRefusedTitle',
    reach: async (page, cat) => {
      await start(page, `scenario=verified-document-refused&${FAST}`);
      await expectScreen(page, cat, 'DocumentsRequestedTitle');
      await page.getByRole('button', { name: cat.messages.SendDocument }).click();
      await expectCapture(page);
      await sendDocument(page);
    },
  },
  { name: 'business prep', heading: 'PrepTitle', reach: (page) => start(page, `scenario=business-passes&${FAST}`) },
  { name: 'handoff', heading: 'HandoffTitle', desktop: true, reach: handoffScreen },
  {
    // The server's page on the phone that opened the code.
    name: 'phone continue page',
    heading: 'PageContinueTitle',
    reach: async (page, cat, browser) => {
      const desktop = await browser.newContext({ ...devices['Desktop Chrome'], baseURL: baseURL() });
      const computer = await desktop.newPage();
      await handoffScreen(computer, cat);
      const link = (await computer.getByTestId('handoff-link').textContent())!;
      await page.goto(link);
      await desktop.close();
    },
  },
  { name: 'checking', heading: 'CheckingTitle', reach: afterCapture('passes', FAST.replace('decision_delay_ms=400', 'decision_delay_ms=60000')) },
  { name: 'verified', heading: 'VerifiedTitle', reach: (page) => start(page, 'scenario=already-verified') },
  { name: 'review', heading: 'ReviewTitle', reach: afterCapture('fails-review', HELD_REVIEW) },
  { name: 'retry', heading: 'RetryTitle', reach: afterCapture('fails-retry') },
  { name: 'rejected', heading: 'RejectedTitle', reach: (page) => start(page, 'scenario=already-rejected') },
  { name: 'contact support', heading: 'ContactSupportTitle', reach: afterCapture('fails-unknown') },
  { name: 'frozen', heading: 'FrozenTitle', reach: (page) => start(page, 'scenario=frozen') },
  { name: 'expired', heading: 'ExpiredTitle', reach: afterCapture('expires') },
  {
    name: 'persona error',
    heading: 'PersonaErrorTitle',
    reach: async (page, cat) => {
      await start(page, `scenario=passes&${FAST}`);
      await startCapture(page, cat);
      await persona(page).getByRole('button', { name: 'Simulate an error' }).click();
    },
  },
  {
    name: 'not found',
    heading: 'NotFoundTitle',
    reach: async (page) => {
      await start(page, 'scenario=already-verified');
      await page.goto('/nowhere');
    },
  },
  {
    name: 'session ended',
    heading: 'SessionEndedTitle',
    reach: async (page) => {
      await start(page, 'scenario=already-verified');
      await page.context().clearCookies();
      await page.goto('/checking');
    },
  },
];

/** The server under test (as `playwright.config.ts` starts it). */
function baseURL(): string {
  return `http://127.0.0.1:${process.env.E2E_PORT ?? 8741}`;
}

/** Reaches `screen` in `page` and waits until it shows. */
export async function openScreen(page: Page, cat: Catalog, browser: Browser, screen: Screen): Promise<void> {
  await screen.reach(page, cat, browser);
  await expectScreen(page, cat, screen.heading);
}
