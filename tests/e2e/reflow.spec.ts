// WCAG 2.2 1.4.10 (reflow), 1.4.4 (resize text) and 1.4.12 (text spacing): every screen fits
// 320 CSS px without horizontal scrolling, and keeps fitting with its text at 200 % and with
// the WCAG spacing overrides, nothing cut off. The overrides stand for a customer's own
// stylesheet or extension, which the page's Content-Security-Policy does not govern
// (`bypassCSP`). Expected texts come from the app's catalog.
import { test, expect, type Page } from '@playwright/test';
import { catalog, expectScreen, FAST, start, type Catalog } from './helpers';

test.use({ bypassCSP: true });

/** Each screen of this test: how to reach it and its heading. */
const SCREENS: {
  name: string;
  query: string;
  heading: string;
  then?: (page: Page, cat: Catalog) => Promise<void>;
  /** Shown on a computer only (a phone is not sent to another phone). */
  desktop?: boolean;
}[] = [
  { name: 'prep', query: `scenario=passes&${FAST}`, heading: 'PrepTitle' },
  {
    name: 'handoff',
    query: `scenario=passes&${FAST}`,
    heading: 'HandoffTitle',
    desktop: true,
    then: async (page, cat) => {
      await expectScreen(page, cat, 'PrepTitle');
      await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
    },
  },
  { name: 'verified', query: 'scenario=already-verified', heading: 'VerifiedTitle' },
  { name: 'document request', query: `scenario=verified-asks-documents&${FAST}`, heading: 'DocumentsRequestedTitle' },
  { name: 'business prep', query: `scenario=business-passes&${FAST}`, heading: 'PrepTitle' },
  { name: 'rejected', query: 'scenario=already-rejected', heading: 'RejectedTitle' },
  { name: 'frozen', query: 'scenario=frozen', heading: 'FrozenTitle' },
];

/** The WCAG 1.4.12 overrides, applied to every element. */
const TEXT_SPACING = `* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }`;

/** What sticks out to the right of the viewport, and whether the page scrolls sideways. */
async function overflow(page: Page): Promise<{ scrolls: boolean; outside: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll('body *')]
      .filter((e) => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && getComputedStyle(e).position !== 'fixed';
      })
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { scrolls: document.documentElement.scrollWidth > width, outside };
  });
}

/** Text cut off inside its own box (overflow hidden with more content than room). */
async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((e) => {
        const style = getComputedStyle(e);
        const hides = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
        return hides && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
      })
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  );
}

async function open(page: Page, cat: Catalog, screen: (typeof SCREENS)[number]): Promise<void> {
  await start(page, screen.query);
  if (screen.then) await screen.then(page, cat);
  await expectScreen(page, cat, screen.heading);
}

for (const screen of SCREENS) test.describe(screen.name, () => {
  test.skip(({ isMobile }) => !!screen.desktop && isMobile, 'a computer\'s screen');
  test(`${screen.name}: 320 CSS px wide, no sideways scrolling (1.4.10)`, async ({ page }) => {
    const cat = await catalog(page.request);
    await page.setViewportSize({ width: 320, height: 640 });
    await open(page, cat, screen);
    expect(await overflow(page)).toEqual({ scrolls: false, outside: [] });
    expect(await clipped(page)).toEqual([]);
  });

  test(`${screen.name}: text at 200 % loses nothing (1.4.4)`, async ({ page }) => {
    const cat = await catalog(page.request);
    await open(page, cat, screen);
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    expect(await overflow(page)).toEqual({ scrolls: false, outside: [] });
    expect(await clipped(page)).toEqual([]);
    // The heading is still there, whole, and every button can still be reached and pressed.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(cat.messages[screen.heading]);
    for (const button of await page.locator('main button').all()) await expect(button).toBeInViewport({ ratio: 0 }).catch(async () => {
      await button.scrollIntoViewIfNeeded();
      await expect(button).toBeInViewport();
    });
  });

  test(`${screen.name}: the WCAG text spacing cuts nothing off (1.4.12)`, async ({ page }) => {
    const cat = await catalog(page.request);
    await open(page, cat, screen);
    await page.addStyleTag({ content: TEXT_SPACING });
    expect(await overflow(page)).toEqual({ scrolls: false, outside: [] });
    expect(await clipped(page)).toEqual([]);
  });
});
