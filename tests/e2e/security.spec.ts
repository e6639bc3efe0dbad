// Security: no Content-Security-Policy violation through a whole flow under the server's
// policy, and afterwards no token in storage, script-readable cookies, the address history
// or the console.
import { test, expect } from '@playwright/test';
import { beginCapture, catalog, completeCapture, exitPersona, expectCapture, expectScreen, FAST, start, startCapture } from './helpers';

test('a whole flow: zero CSP violations, no token left anywhere readable', async ({ page, context }) => {
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  const secrets = new Set<string>();
  // Each answer's body is read in the background; all are awaited before the checks.
  const reading: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = response.url();
    if (url.endsWith('/api/persona_sessions') || url.endsWith('/session') || url.endsWith('/handoff')) {
      reading.push(
        response
          .json()
          .catch(() => ({}))
          .then((body) => {
            for (const key of ['persona_session_token', 'csrf_token', 'path']) {
              if (typeof body[key] === 'string') secrets.add(key === 'path' ? body[key].split('/').pop() : body[key]);
            }
          }),
      );
    }
  });
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  const addresses: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) addresses.push(frame.url());
  });
  let violations: string[] = [];
  const collect = async () => {
    violations = violations.concat(await page.evaluate(() => (window as any).__violations.splice(0)));
  };

  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await collect();
  await beginCapture(page);
  await exitPersona(page);
  await expectScreen(page, cat, 'PausedTitle');
  // Mid-flow, the verification this tab follows is remembered for the tab only (a reload
  // resumes it), never in local storage, where it would outlive the visit.
  const stored = await page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), tab: JSON.stringify({ ...sessionStorage }) }));
  expect(stored.tab).toContain('kyc-onboarding.verification');
  expect(stored.local).not.toContain('kyc-onboarding');
  await page.getByRole('button', { name: cat.messages.Resume }).click();
  await expectCapture(page);
  await completeCapture(page, true);
  await expectScreen(page, cat, 'VerifiedTitle');
  await collect();
  expect(violations).toEqual([]);

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'kyc_session');
  expect(session?.httpOnly, 'the session cookie is HttpOnly').toBe(true);
  expect(session?.sameSite).toBe('Lax');
  await Promise.all(reading);
  secrets.add(session!.value);
  expect(secrets.size).toBeGreaterThanOrEqual(3); // CSRF, one Persona session token, the cookie

  const readable = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookies: document.cookie,
    url: location.href,
  }));
  for (const secret of secrets) {
    for (const [where, text] of Object.entries(readable)) {
      expect(text.includes(secret), `${where} holds a secret`).toBe(false);
    }
    for (const address of addresses) expect(address.includes(secret), `address ${address}`).toBe(false);
    for (const line of console) expect(line.includes(secret), `console: ${line}`).toBe(false);
  }
  expect(readable.cookies).not.toContain('kyc_session');
  // Every Persona callback of the flow is in the console for troubleshooting (seed 000,
  // "Logging for troubleshooting"), without the inquiry or anything of the customer's.
  const persona = console.filter((line) => line.startsWith('kyc-onboarding: Persona '));
  for (const callback of ['onReady', 'onCancel', 'onComplete completed']) {
    expect(persona.some((line) => line.includes(callback)), `${callback} in ${persona}`).toBe(true);
  }
  for (const line of persona) expect(line).not.toMatch(/inq_|session|token/i);
});

test('the handoff screen and its QR code keep the policy too', async ({ page, isMobile }) => {
  test.skip(isMobile, 'a desktop screen');
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__violations.push(e.violatedDirective));
  });
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.ContinueOnPhone }).click();
  await expect(page.getByTestId('qr')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  const local = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  const code = (await page.getByTestId('handoff-link').textContent())!.split('/').pop()!;
  expect(local).not.toContain(code);
});
