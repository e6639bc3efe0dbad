// The right next step for every outcome (issue 30, section 3), on a phone and a desktop
// viewport. What each outcome must lead to comes from the source documents (seed 000
// "Handling verification outcomes", seed 001 "Identity Verification Overview"); the app's
// catalog only supplies the words to find on screen.
import { test, expect, type Route } from '@playwright/test';
import { catalog, completeCapture, expectCapture, expectScreen, FAST, serverState, shot, start, startCapture, watchErrors } from './helpers';

/** Runs a scenario through a submitted capture. */
async function submitted(page: import('@playwright/test').Page, query: string) {
  const cat = await catalog(page.request);
  await start(page, `${query}&${FAST}`);
  await startCapture(page, cat);
  await completeCapture(page);
  return cat;
}

// Seed 001: `expired` means "not completed in time, or the ID used has expired"; a new
// verification with a valid, unexpired ID is needed.
test('an expiry without a code says both meanings and shows the accepted IDs', async ({ page }, info) => {
  const cat = await submitted(page, 'scenario=expires');
  await expectScreen(page, cat, 'ExpiredTitle');
  await expect(page.locator('main')).toContainText(cat.messages.ExpiredUnclearBody);
  await expect(page.locator('main')).not.toContainText(cat.messages.ExpiredBody);
  await expect(page.locator('.tips details[data-group=accepted-ids]')).toHaveAttribute('open', '');
  await shot(page, info, 'outcome-expired-unclear');
  await page.getByRole('button', { name: cat.messages.StartAgain }).click();
  await expectCapture(page);
  expect((await serverState(page)).verifications).toBe(2);
});

test('an expiry with id_expiration_check_failure says the ID has expired', async ({ page }, info) => {
  const cat = await submitted(page, 'scenario=expires-id');
  await expectScreen(page, cat, 'ExpiredTitle');
  await expect(page.locator('main')).toContainText(cat.messages.ExpiredIdBody);
  await expect(page.locator('.tips details[data-group=accepted-ids]')).toBeVisible();
  await shot(page, info, 'outcome-expired-id');
});

// Seed 001, "KYC expiry changes customer state".
test('a customer verified before and unverified now renews, not a first-time prep', async ({ page }, info) => {
  const errors = watchErrors(page);
  const cat = await catalog(page.request);
  await start(page, `scenario=renewal&${FAST}`);
  await expectScreen(page, cat, 'ExpiredTitle');
  await expect(page.locator('main')).toContainText(cat.messages.RenewBody);
  await expect(page.locator('.tips details[data-group=accepted-ids]')).toBeVisible();
  await shot(page, info, 'renewal');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectCapture(page);
  await completeCapture(page);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(2);
  expect(errors).toEqual([]);
});

// Seed 000: after a failure the next step follows the codes and the customer's state;
// support is for rejected customers.
test('a review that ended in a failure, the customer unverified: a new verification, before and after a reload', async ({ page }, info) => {
  const cat = await submitted(page, 'scenario=fails-review');
  await expectScreen(page, cat, 'RetryTitle');
  await expect(page.locator('main')).toContainText(cat.messages.RetryAfterReview);
  await expect(page.getByRole('button', { name: cat.messages.TryAgain })).toBeVisible();
  await shot(page, info, 'outcome-review-ended');
  await page.reload();
  await expectScreen(page, cat, 'RetryTitle');
  await page.getByRole('button', { name: cat.messages.TryAgain }).click();
  await expectCapture(page);
  expect((await serverState(page)).verifications).toBe(2);
});

// Seed 000, compliance check outcomes.
for (const [scenario, screen] of [
  ['check-insufficient', 'RetryTitle'],
  ['check-inconclusive', 'ReviewTitle'],
  ['check-inconclusive-invalidated', 'ReviewTitle'],
  ['check-inconclusive-decided', 'RetryTitle'],
] as const) {
  test(`${scenario}: ${screen === 'RetryTitle' ? 'retry at once' : 'wait for the compliance team, no retry'}`, async ({ page }, info) => {
    const cat = await submitted(page, `scenario=${scenario}`);
    await expectScreen(page, cat, screen);
    await expect(page.getByRole('button', { name: cat.messages.TryAgain })).toHaveCount(screen === 'RetryTitle' ? 1 : 0);
    await shot(page, info, `outcome-${scenario}`);
    if (screen === 'ReviewTitle') {
      await page.reload();
      await expectScreen(page, cat, 'ReviewTitle');
    }
    expect((await serverState(page)).verifications).toBe(1);
  });
}

// Seed 001: phone and email failures may be retried without contacting support.
test('a phone number failure: try again now; support only corrects details on file', async ({ page }, info) => {
  const cat = await submitted(page, 'scenario=fails-phone');
  await expectScreen(page, cat, 'RetryTitle');
  const tryAgain = page.getByRole('button', { name: cat.messages.TryAgain });
  await expect(tryAgain).toBeVisible();
  await expect(page.getByTestId('support-to-correct')).toHaveText(cat.messages.RetryContactFix);
  await expect(page.locator('main')).not.toContainText('before you try again');
  await shot(page, info, 'outcome-phone');
  await tryAgain.click();
  await expectCapture(page);
  expect((await serverState(page)).verifications).toBe(2);
});

// No long silent waits: a few seconds in, what is happening and the ways forward.
test('a verification slow to be set up says so and offers the ways forward while it waits', async ({ page, isMobile }, info) => {
  const cat = await catalog(page.request);
  await start(page, 'scenario=slow-inquiry&inquiry_delay_ms=20000');
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectScreen(page, cat, 'PreparingTitle');
  await expectScreen(page, cat, 'StillPreparingTitle', 15_000);
  await expect(page.getByTestId('progress')).toContainText(cat.messages.SlowPreparingBody);
  const other = isMobile ? cat.messages.ContinueOnAnotherDevice : cat.messages.ContinueOnPhone;
  await expect(page.getByRole('button', { name: other })).toBeVisible();
  await page.getByRole('button', { name: cat.messages.ComeBackLater }).click();
  await expect(page.getByTestId('come-back-later')).toHaveText(cat.messages.ComeBackLaterBody);
  await shot(page, info, 'slow-preparing');
  // The wait went on: the capture opens when the verification is ready.
  await expectCapture(page);
  expect((await serverState(page)).verifications).toBe(1);
});

const SDK = /\/persona\.js(\?|$)/;

test("Persona's frame slow to come: the ways forward within seconds, and try again opens it", async ({ page, isMobile }, info) => {
  const cat = await catalog(page.request);
  let stalled: Route | undefined;
  await page.route(SDK, (route) => {
    if (stalled) return route.continue();
    stalled = route;
  });
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectScreen(page, cat, 'StillPreparingTitle', 15_000);
  await expect(page.getByTestId('progress')).toContainText(cat.messages.SlowCaptureBody);
  const other = isMobile ? cat.messages.ContinueOnAnotherDevice : cat.messages.ContinueOnPhone;
  await expect(page.getByRole('button', { name: other })).toBeVisible();
  await expect(page.getByRole('button', { name: cat.messages.ComeBackLater })).toBeVisible();
  await shot(page, info, 'slow-capture');
  await page.getByRole('button', { name: cat.messages.TryAgain }).click();
  await expectCapture(page);
  await completeCapture(page);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(1);
  await stalled?.abort();
});
