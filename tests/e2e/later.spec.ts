// The later screens live in a second wasm module (src/ui/later.rs), fetched once the first
// screen shows. The first screen must not wait for it, and a module that cannot arrive must
// leave the customer a message and a way on, not an empty page.
import { test, expect, type Route } from '@playwright/test';
import { catalog, expectScreen, FAST, start } from './helpers';

const LATER = /\/later-[0-9a-f]{16}\.wasm$/;

test('the first screen does not wait for the later screens, and then fetches them', async ({ page }) => {
  const cat = await catalog(page.request);
  // Held until the end of the test: the module never arrives.
  const held: Route[] = [];
  await page.route(LATER, (route) => {
    held.push(route);
  });
  const requested = page.waitForRequest(LATER);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await expect(page.getByRole('button', { name: cat.messages.PrepStart })).toBeEnabled();
  // Fetched in the background while the customer reads the tips.
  await requested;
  // The tips inside a group come with it: opened before it has arrived, a group keeps its
  // one-line summary; they show once it is here.
  const group = page.locator('.tips details').first();
  await group.locator('summary').click();
  await expect(group).toHaveAttribute('open', '');
  await expect(group.locator('.tip-summary')).toBeVisible();
  await expect(group.locator('li')).toHaveCount(0);
  for (const route of held) await route.continue();
  await expect(group.locator('li').first()).toHaveText(cat.messages.TipIdDriversLicense);
  await expect(group.locator('.tip-summary')).toBeHidden();
});

test('later screens that cannot arrive say so, and Try again brings them', async ({ page }) => {
  const cat = await catalog(page.request);
  let failing = true;
  let requests = 0;
  await page.route(LATER, async (route) => {
    requests += 1;
    if (failing) await route.abort('internetdisconnected');
    else await route.continue();
  });
  // A verified customer's first screen is a later one.
  await start(page, 'scenario=already-verified');
  await expectScreen(page, cat, 'PartMissingTitle');
  await expect(page.getByRole('alert')).toHaveText(cat.messages.PartMissingBody);
  const before = requests;
  failing = false;
  await page.getByRole('button', { name: cat.messages.TryAgain }).click();
  await expectScreen(page, cat, 'VerifiedTitle');
  // A failed fetch is not remembered: the tap fetched the module again.
  expect(requests).toBeGreaterThan(before);
});
