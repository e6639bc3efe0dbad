// Accessibility: axe-core (WCAG 2.2 A/AA rules) on every screen, phone and desktop, light and
// dark; the whole flow by keyboard alone with focus always visible and moved to each new
// heading; progress and outcomes announced through live regions.
import { test, expect, type Page } from '@playwright/test';
import * as fs from 'fs';
import { beginCapture, catalog, completeCapture, exitPersona, expectCapture, expectScreen, FAST, HELD_REVIEW, persona, start, startCapture, type Catalog } from './helpers';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs axe on the page (not inside Persona's cross-origin frame) and returns violations. */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(AXE); // evaluated through the DevTools protocol: not subject to the CSP
  }
  const result = await page.evaluate(async (tags) => {
    const r = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false });
    return r.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`);
  }, TAGS);
  return result;
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${scheme}`, () => {
    test.use({ colorScheme: scheme });

    /** Visits a screen and checks it; returns after the check. */
    async function check(page: Page, cat: Catalog, key: string, found: Record<string, string[]>) {
      await expectScreen(page, cat, key);
      found[key] = await axe(page);
      // Still the same screen: the result belongs to it (a slower machine fails here
      // instead of filing another screen's result under this one).
      expect(await page.getByRole('heading', { level: 1 }).textContent(), `${key} stayed up through its check`).toBe(cat.messages[key]);
    }

    test('the main path: prep, preparing, paused, handoff, checking, verified', async ({ page, isMobile }) => {
      const cat = await catalog(page.request);
      const found: Record<string, string[]> = {};
      // Slow enough that each screen stays up through its axe run on a slow machine.
      await start(page, `scenario=slow-inquiry&inquiry_delay_ms=6000&decision_delay_ms=6000`);
      await check(page, cat, 'PrepTitle', found);
      // Open every tip group too.
      for (const summary of await page.locator('details summary').all()) await summary.click();
      found['PrepTitle (tips open)'] = await axe(page);
      await page.getByRole('button', { name: cat.messages.PrepStart }).click();
      await check(page, cat, 'PreparingTitle', found);
      await expectCapture(page);
      found['Capture (Persona open)'] = await axe(page);
      // Under Persona's overlay the app is inert at every width: Tab stays in Persona's window.
      await expect(page.locator('#app')).toHaveAttribute('inert', '');
      await beginCapture(page);
      await exitPersona(page);
      await check(page, cat, 'PausedTitle', found);
      await expect(page.locator('#app')).not.toHaveAttribute('inert');
      if (!isMobile) {
        await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
        await check(page, cat, 'HandoffTitle', found);
        await expect(page.getByTestId('qr')).toBeVisible();
        found['HandoffTitle (with code)'] = await axe(page);
        // Taken back here: the saved verification it was handed off from.
        await page.getByRole('button', { name: cat.messages.UseThisDevice }).click();
        await expectScreen(page, cat, 'PausedTitle');
      }
      await page.getByRole('button', { name: cat.messages.Resume }).click();
      await expectCapture(page);
      await completeCapture(page, true);
      await check(page, cat, 'CheckingTitle', found);
      await check(page, cat, 'VerifiedTitle', found);
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    });

    test('outcome and problem screens', async ({ page, context }) => {
      test.setTimeout(180_000); // six flows and eight axe runs
      const cat = await catalog(page.request);
      const found: Record<string, string[]> = {};
      for (const [scenario, key, timings] of [
        ['fails-retry', 'RetryTitle', FAST],
        ['fails-review', 'ReviewTitle', HELD_REVIEW],
        ['fails-rejected', 'RejectedTitle', FAST],
        ['fails-unknown', 'ContactSupportTitle', FAST],
        ['expires', 'ExpiredTitle', FAST],
      ] as const) {
        await start(page, `scenario=${scenario}&${timings}`);
        await startCapture(page, cat);
        await completeCapture(page);
        await check(page, cat, key, found);
      }
      await start(page, 'scenario=frozen');
      await check(page, cat, 'FrozenTitle', found);
      await start(page, `scenario=passes&${FAST}`);
      await startCapture(page, cat);
      await persona(page).getByRole('button', { name: 'Simulate an error' }).click();
      await check(page, cat, 'PersonaErrorTitle', found);
      await page.goto('/nowhere');
      await check(page, cat, 'NotFoundTitle', found);
      await context.clearCookies();
      await page.goto('/checking');
      await check(page, cat, 'SessionEndedTitle', found);
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    });
  });
}

/** The focused element, in the page or inside Persona's frame, and whether its focus shows. */
async function focused(page: Page): Promise<{ text: string; tag: string; visible: boolean }> {
  for (const frame of [page.mainFrame(), ...page.frames().filter((f) => f !== page.mainFrame())]) {
    const info = await frame.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body || el.tagName === 'IFRAME') return null;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      return { text: (el.textContent ?? '').trim(), tag: el.tagName, visible: outline || style.boxShadow !== 'none' };
    }).catch(() => null);
    if (info) return info;
  }
  return { text: '', tag: 'BODY', visible: false };
}

/** Presses Tab until the focused element's text is `text` (at most 40 times); every stop
 *  must show its focus. Then presses `key`. */
async function tabAndPress(page: Page, text: string, key: 'Enter' | 'Space' = 'Enter') {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag !== 'BODY') expect(f.visible, `focus is visible on "${f.text}"`).toBe(true);
    if (f.text === text) {
      await page.keyboard.press(key);
      return;
    }
  }
  throw new Error(`never reached "${text}" with Tab`);
}

test('the whole flow by keyboard alone', async ({ page, isMobile }) => {
  test.skip(isMobile, 'a keyboard is a desktop thing');
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await expect(page.locator('h1')).toBeFocused();
  // No ring around the first screen's title before anyone uses the keyboard...
  await expect(page.locator('h1')).toHaveCSS('outline-style', 'none');
  // A tip group opens with Space.
  await tabAndPress(page, `${cat.tips['id-photo'].title}${cat.messages.TipsIdPhotoSummary}`, 'Space');
  await expect(page.locator('details[data-group=id-photo]')).toHaveAttribute('open', '');
  await tabAndPress(page, cat.messages.PrepStart);
  await expectCapture(page);
  await tabAndPress(page, 'Begin');
  await tabAndPress(page, 'Take photo of the front', 'Space');
  await tabAndPress(page, 'Take photo of the back');
  await tabAndPress(page, 'Take selfie');
  await tabAndPress(page, 'Submit');
  await expectScreen(page, cat, 'VerifiedTitle');
  await expect(page.locator('h1')).toBeFocused();
  // ...and a keyboard user sees where focus went.
  await expect(page.locator('h1')).toHaveCSS('outline-style', 'solid');
});

test('progress and outcomes are announced', async ({ page }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&inquiry_delay_ms=6000&decision_delay_ms=1500`);
  await expectScreen(page, cat, 'PrepTitle');
  // A screen's heading takes focus, so a screen reader reads it once.
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  const progress = page.getByTestId('progress');
  await expect(progress).toHaveAttribute('role', 'status');
  await expect(progress).toHaveText(cat.messages.StageWaiting);
  await expect(page.locator('h1')).toBeFocused();
  await expect(page.locator('h1')).toHaveText(cat.messages.PreparingTitle);
  await expectCapture(page);
  // Persona's window has the screen reader: the page under it is inert, so nothing there
  // can speak over it or be reached.
  await expect(page.locator('#app')).toHaveAttribute('inert', '');
  await completeCapture(page);
  await expectScreen(page, cat, 'VerifiedTitle');
  await expect(page.locator('h1')).toBeFocused();
  await expect(page.locator('#app')).not.toHaveAttribute('inert');
});
