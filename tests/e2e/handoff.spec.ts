// Desktop to phone: the desktop shows a QR code, the phone scans it (decoded here from a
// screenshot), finishes the capture, and the desktop reaches the outcome without a reload.
import { test, expect, devices } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { catalog, completeCapture, expectCapture, expectScreen, FAST, persona, serverState, shot, start, texts } from './helpers';

test.skip(({ isMobile }) => isMobile, 'the desktop side drives this test; it opens its own phone');

test('continue on the phone by QR code, followed live on the desktop', async ({ page, browser, baseURL }, info) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
  await expectScreen(page, cat, 'HandoffTitle');
  await expect(page).toHaveURL(/\/phone$/);
  const qr = page.getByRole('img', { name: cat.messages.HandoffQrLabel });
  await expect(qr).toBeVisible();
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneWaiting);
  await shot(page, info, 'handoff');

  // Decode the QR code from a screenshot, as a phone camera would.
  const png = PNG.sync.read(await qr.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded, 'the QR code decodes').not.toBeNull();
  const link = decoded!.data;
  await expect(page.getByTestId('handoff-link')).toHaveText(link);
  expect(link).toMatch(new RegExp(`^${baseURL}/handoff/[A-Za-z0-9_-]{27}$`));
  expect(link).not.toMatch(/token|session|csrf/i);

  // The phone: its own browser, no cookies from the desktop.
  const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const phonePage = await phone.newPage();
  await phonePage.goto(link);
  // Opening the link (as a chat app's preview would) does not use the code up: the phone
  // taps Continue.
  await expect(phonePage.getByRole('button', { name: cat.messages.PageContinueButton })).toBeVisible();
  const status = await page.request.get('/handoff/status');
  expect((await status.json()).code).toBe('active');
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneWaiting);
  await phonePage.getByRole('button', { name: cat.messages.PageContinueButton }).click();
  await expectScreen(phonePage, cat, 'PrepTitle');
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneConnected);
  await phonePage.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectCapture(phonePage);
  await completeCapture(phonePage);
  await expectScreen(phonePage, cat, 'VerifiedTitle');

  // The desktop follows to the outcome by itself, and never opened Persona.
  await expectScreen(page, cat, 'VerifiedTitle');
  await expect(page.locator('iframe.persona-widget__iframe')).toHaveCount(0);
  expect((await serverState(page)).verifications).toBe(1);

  // The link works once.
  const other = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const otherPage = await other.newPage();
  const refused = await otherPage.goto(link);
  expect(refused?.status()).toBe(410);
  await expectScreen(otherPage, cat, 'PageCodeUsedTitle');
  await phone.close();
  await other.close();
});

test('a started verification moves to the phone and resumes there', async ({ page, browser, baseURL }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=pending-resume&${FAST}`);
  await expectScreen(page, cat, 'PausedTitle');
  await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
  await expectScreen(page, cat, 'HandoffTitle');
  const link = (await page.getByTestId('handoff-link').textContent())!;
  // The phone speaks French: so do the server's Continue page and then the app.
  const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'fr-CA' });
  const phonePage = await phone.newPage();
  const fr = await texts('fr-CA');
  await phonePage.goto(link);
  await expect(phonePage.locator('html')).toHaveAttribute('lang', 'fr-CA');
  await expect(phonePage.getByRole('heading', { level: 1 })).toHaveText(fr.PageContinueTitle);
  await phonePage.getByRole('button', { name: fr.PageContinueButton }).click();
  await expect(phonePage.getByRole('heading', { level: 1 })).toHaveText(fr.PausedTitle);
  await phonePage.getByRole('button', { name: fr.Resume }).click();
  await expectCapture(phonePage);
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneInProgress);
  // The desktop reloads meanwhile: it follows on, and offers no new code (which would end
  // the phone's) nor says one is being made.
  await page.reload();
  await expectScreen(page, cat, 'HandoffTitle');
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneInProgress);
  await expect(page.getByText(cat.messages.HandoffMaking)).toHaveCount(0);
  await expect(page.getByRole('button', { name: cat.messages.NewCode })).toHaveCount(0);
  await completeCapture(phonePage, true);
  await expectScreen(page, cat, 'VerifiedTitle');
  const state = await serverState(page);
  expect(state.verifications).toBe(1);
  expect(state.persona_session_requests).toBe(1);
  await phone.close();
});

test('the phone goes quiet mid-capture: this device takes the verification back', async ({ page, browser, baseURL }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
  const link = (await page.getByTestId('handoff-link').textContent())!;
  const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const phonePage = await phone.newPage();
  await phonePage.goto(link);
  await phonePage.getByRole('button', { name: cat.messages.PageContinueButton }).click();
  await phonePage.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectCapture(phonePage);
  await persona(phonePage).getByRole('button', { name: 'Begin' }).click();
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneInProgress);
  // The phone's battery dies.
  await phone.close();
  await page.getByRole('button', { name: cat.messages.UseThisDevice }).click();
  await expectScreen(page, cat, 'PausedTitle');
  await page.getByRole('button', { name: cat.messages.Resume }).click();
  await expectCapture(page);
  await completeCapture(page, true);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(1);
});

test('inside another app, a one-time link opens the verification in the phone\'s own browser', async ({ browser, baseURL }, info) => {
  const instagram = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98';
  const inApp = await browser.newContext({ ...devices['iPhone 13'], defaultBrowserType: undefined, userAgent: instagram, baseURL, permissions: ['clipboard-read', 'clipboard-write'] } as any);
  const page = await inApp.newPage();
  // Like Safari, refuse a clipboard write that starts once the link is back from the server:
  // the copy has to begin inside the tap, with the link promised.
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('not in a tap', 'NotAllowedError'));
  });
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  const notice = page.locator('[data-notice=in-app-browser]');
  await expect(notice).toContainText(cat.messages.DeviceInAppTitle);
  await notice.getByRole('button', { name: cat.messages.DeviceCopyLink }).click();
  await expect(notice.getByRole('button', { name: cat.messages.DeviceLinkCopied })).toBeVisible();
  const link = (await notice.getByRole('status').textContent())!.split(' ').pop()!;
  expect(link).toMatch(new RegExp(`^${baseURL}/handoff/[A-Za-z0-9_-]{27}$`));
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  // To copy it by hand, one tap on the link selects all of it.
  await notice.locator('code').click();
  expect(await page.evaluate(() => getSelection()!.toString())).toBe(link);
  await notice.scrollIntoViewIfNeeded();
  await shot(page, info, 'in-app-link');
  // Another language renders the page again: the link on the clipboard is still the one
  // shown (a new one would end it).
  await page.getByRole('combobox').selectOption('es-MX');
  await expect(page.locator('h1')).toHaveText((await texts('es-MX')).PrepTitle);
  await expect(page.locator('[data-notice=in-app-browser] code')).toHaveText(link);

  // Safari, with none of the in-app browser's cookies.
  const safari = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const own = await safari.newPage();
  await own.goto(link);
  await own.getByRole('button', { name: cat.messages.PageContinueButton }).click();
  await expectScreen(own, cat, 'PrepTitle');
  await expect(own.locator('[data-notice=in-app-browser]')).toHaveCount(0);
  await inApp.close();
  await safari.close();
});

test('a new code kills the old one; this device can take over while the phone has not come', async ({ page, browser, baseURL }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
  const first = (await page.getByTestId('handoff-link').textContent())!;
  await page.getByRole('button', { name: cat.messages.DeviceCopyLink }).click();
  await expect(page.getByRole('button', { name: cat.messages.DeviceLinkCopied })).toBeVisible();
  await page.getByRole('button', { name: cat.messages.NewCode }).click();
  await expect(page.getByTestId('handoff-link')).not.toHaveText(first);
  // The new link has not been copied: the button says so.
  await expect(page.getByRole('button', { name: cat.messages.DeviceCopyLink })).toBeVisible();
  const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const response = await (await phone.newPage()).goto(first);
  expect(response?.status()).toBe(410);
  await page.getByRole('button', { name: cat.messages.UseThisDevice }).click();
  await expectScreen(page, cat, 'PrepTitle');
  await phone.close();
});

test('the phone carries on in the language the desktop was showing', async ({ page, browser, baseURL }) => {
  const fr = await texts('fr-CA');
  await start(page, `scenario=passes&${FAST}`);
  await page.getByRole('combobox').selectOption('fr-CA');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
  await page.getByRole('button', { name: fr.ContinueOnPhone }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.HandoffTitle);
  const link = (await page.getByTestId('handoff-link').textContent())!;
  expect(link).toMatch(new RegExp(`^${baseURL}/handoff/[A-Za-z0-9_-]{27}\\?lang=fr-CA$`));
  // A phone whose browser asks for English.
  const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'en-US' });
  const phonePage = await phone.newPage();
  await phonePage.goto(link);
  await expect(phonePage.locator('html')).toHaveAttribute('lang', 'fr-CA');
  await phonePage.getByRole('button', { name: fr.PageContinueButton }).click();
  await expect(phonePage.getByRole('heading', { level: 1 })).toHaveText(fr.PrepTitle);
  await expect(page.getByTestId('phone-progress')).toHaveText(fr.PhoneConnected);
  await phone.close();
});

test('a bystander who opens the link first is ended from the desktop', async ({ page, browser, baseURL }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
  await expectScreen(page, cat, 'HandoffTitle');
  const confirm = (await page.getByTestId('confirm').textContent())!;
  expect(confirm).toMatch(/^\d{4}$/);
  const link = (await page.getByTestId('handoff-link').textContent())!;

  // Someone who saw the screen opens the link before the customer's phone. Their page
  // shows the same number: the bystander sees the screen too, so the desktop must say
  // which phone came.
  const bystander = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const bystanderPage = await bystander.newPage();
  await bystanderPage.goto(link);
  await expect(bystanderPage.getByTestId('confirm')).toHaveText(confirm);
  await bystanderPage.getByRole('button', { name: cat.messages.PageContinueButton }).click();
  await expectScreen(bystanderPage, cat, 'PrepTitle');

  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneConnected);
  await expect(page.getByTestId('phone-device')).toHaveText(
    cat.messages.PagePhoneConnected.replace('{device}', 'Chrome on Android'),
  );
  await page.getByRole('button', { name: cat.messages.NotMyPhone }).click();

  // The desktop gets a new code at once; the bystander's next page load is refused.
  await expect(page.getByTestId('handoff-link')).not.toHaveText(link);
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneWaiting);
  await expect(page.getByTestId('phone-device')).toHaveCount(0);
  const newLink = (await page.getByTestId('handoff-link').textContent())!;
  const newConfirm = (await page.getByTestId('confirm').textContent())!;
  await bystanderPage.reload();
  await expectScreen(bystanderPage, cat, 'SessionEndedTitle');
  expect((await bystanderPage.goto(link))?.status()).toBe(410);

  // The customer's own phone goes through with the new code.
  const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const phonePage = await phone.newPage();
  await phonePage.goto(newLink);
  await expect(phonePage.getByTestId('confirm')).toHaveText(newConfirm);
  await phonePage.getByRole('button', { name: cat.messages.PageContinueButton }).click();
  await expectScreen(phonePage, cat, 'PrepTitle');
  await expect(page.getByTestId('phone-progress')).toHaveText(cat.messages.PhoneConnected);
  await phonePage.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectCapture(phonePage);
  await completeCapture(phonePage);
  await expectScreen(phonePage, cat, 'VerifiedTitle');
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(1);
  await bystander.close();
  await phone.close();
});
