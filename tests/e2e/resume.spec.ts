// Leaving part-way: cancel, reload, and a lost create response never making a duplicate.
import { test, expect } from '@playwright/test';
import { beginCapture, catalog, completeCapture, exitPersona, expectCapture, expectScreen, FAST, persona, serverState, start, startCapture, watchErrors } from './helpers';

test('cancel, then continue where you left off', async ({ page }) => {
  const errors = watchErrors(page);
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await beginCapture(page);
  await exitPersona(page);
  await expectScreen(page, cat, 'PausedTitle');
  await expect(page.locator('iframe.persona-widget__iframe')).toHaveCount(0);
  // Started, so what was done is kept; no "until" time: the platform gives none (issue 30).
  await expect(page.getByText(cat.messages.PausedBody)).toBeVisible();
  await expect(page.locator('main')).not.toContainText(/\d:\d\d/);
  await page.getByRole('button', { name: cat.messages.Resume }).click();
  await expectCapture(page);
  await completeCapture(page, true);
  await expectScreen(page, cat, 'VerifiedTitle');
  const state = await serverState(page);
  expect(state.verifications).toBe(1);
  expect(state.persona_session_requests).toBe(1);
  expect(errors).toEqual([]);
});

test('a reload mid-flow resumes the same verification', async ({ page }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await persona(page).getByRole('button', { name: 'Begin' }).click();
  await persona(page).getByRole('button', { name: 'Take photo of the front' }).click();
  await page.reload();
  await expectScreen(page, cat, 'PausedTitle');
  await page.getByRole('button', { name: cat.messages.Resume }).click();
  await expectCapture(page);
  await completeCapture(page, true);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(1);
});

test('read the tips again, then start: the same verification', async ({ page }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await beginCapture(page);
  await exitPersona(page);
  await expectScreen(page, cat, 'PausedTitle');
  await page.getByRole('button', { name: cat.messages.ReadTipsAgain }).click();
  await expectScreen(page, cat, 'PrepTitle');
  await page.getByRole('button', { name: cat.messages.PrepStart }).click();
  await expectCapture(page);
  await completeCapture(page, true);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(1);
});

test('a lost create response makes no duplicate', async ({ page }) => {
  const errors = watchErrors(page);
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}&fault=create:lost:1`);
  await startCapture(page, cat);
  await completeCapture(page);
  await expectScreen(page, cat, 'VerifiedTitle');
  expect((await serverState(page)).verifications).toBe(1);
  // The lost answer surfaces as a failed request in the console, nothing else.
  expect(errors.filter((e) => !e.includes('Failed to load resource') && !e.includes('ERR_'))).toEqual([]);
});

test('a Persona error says what to do, and trying again resumes', async ({ page }, info) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await persona(page).getByRole('button', { name: 'Simulate an error' }).click();
  await expectScreen(page, cat, 'PersonaErrorTitle');
  await expect(page.getByText(cat.messages.PersonaApplicationError)).toBeVisible();
  await page.screenshot({ path: `tests/e2e/screenshots/${info.project.name}-problem-persona.png`, fullPage: true });
  await page.getByRole('button', { name: cat.messages.Resume }).click();
  await expectCapture(page);
  await completeCapture(page);
  await expectScreen(page, cat, 'VerifiedTitle');
});

test('without a session: the session-ended screen', async ({ page }, info) => {
  const cat = await catalog(page.request);
  await page.goto('/checking');
  await expectScreen(page, cat, 'SessionEndedTitle');
  // The sandbox says it is one, so the screen points at its scenarios (never in production).
  await expect(page.getByRole('link', { name: cat.messages.SessionEndedSandbox })).toHaveAttribute('href', '/sandbox');
  await page.screenshot({ path: `tests/e2e/screenshots/${info.project.name}-session-ended.png`, fullPage: true });
});

test('an unknown address shows a clear page', async ({ page }, info) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  const calls: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/session' || path.startsWith('/api/')) calls.push(path);
  });
  await page.goto('/nowhere?<script>alert(1)</script>');
  await expectScreen(page, cat, 'NotFoundTitle');
  await expect(page.locator('body')).not.toContainText('alert(1)');
  await page.screenshot({ path: `tests/e2e/screenshots/${info.project.name}-not-found.png`, fullPage: true });
  // Nothing of the flow runs unseen behind the page...
  expect(calls).toEqual([]);
  // ...until its link starts it afresh.
  await page.getByRole('link', { name: cat.messages.GoToStart }).click();
  await expectScreen(page, cat, 'PrepTitle');
  expect(calls).toContain('/session');
  // Other spellings of a screen's address are that screen, not "not found".
  for (const spelling of ['/index.html', '/start/']) {
    await page.goto(spelling);
    await expectScreen(page, cat, 'PrepTitle');
    await expect(page).toHaveURL(/\/start$/);
  }
});
