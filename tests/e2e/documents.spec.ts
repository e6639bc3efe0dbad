// Document requests for every customer who has one (issue 30, section 2), phone and desktop.
// What each request must say comes from the source documents, not from the app's catalog:
// seed 001 "Document requests" (a bank statement from the last 90 days when the date of birth
// could not be confirmed; a utility or telephone bill for an address) and seed 003 (a verified
// customer asked, through a `document_submission` verification, for a bank statement "within
// the last 90 days with customer full name and current address"). How to photograph a
// document: flat, all four corners, no glare (issue 30). A `document_*` failure may be
// retried (the API's retry category): the customer is told and sends it again.
import { test, expect } from '@playwright/test';
import { catalog, completeCapture, expectCapture, expectScreen, FAST, sendDocument, serverState, shot, start, startCapture, watchErrors } from './helpers';

test('a verified customer asked for a bank statement sees it, sends it and stays verified', async ({ page }, info) => {
  const errors = watchErrors(page);
  const cat = await catalog(page.request);
  await start(page, `scenario=verified-asks-documents&${FAST}`);
  await expectScreen(page, cat, 'DocumentsRequestedTitle');
  const screen = page.locator('main');
  // Seed 003: a bank statement from the last 90 days, with the full name and current address.
  await expect(screen).toContainText(/bank statement/i);
  await expect(screen).toContainText('90 days');
  await expect(screen).toContainText(/full name/i);
  await expect(screen).toContainText(/current address/i);
  // How to photograph a document, not the ID tips.
  await expect(page.locator('.tips details')).toHaveAttribute('data-group', 'documents');
  await expect(screen).toContainText(/four corners/i);
  await expect(screen).toContainText(/glare/i);
  await expect(screen).not.toContainText(/selfie/i);
  await shot(page, info, 'document-request-verified');
  await page.getByRole('button', { name: cat.messages.SendDocument }).click();
  await expectCapture(page);
  await sendDocument(page);
  await expectScreen(page, cat, 'VerifiedTitle', 30_000);
  const state = await serverState(page);
  expect(state.customer_state).toBe('verified');
  expect(state.methods.filter((m) => m === 'id_and_selfie')).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('a refused document is told with why, sent again and accepted', async ({ page }, info) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=verified-document-refused&${FAST}`);
  await expectScreen(page, cat, 'DocumentsRequestedTitle');
  await page.getByRole('button', { name: cat.messages.SendDocument }).click();
  await expectCapture(page);
  await sendDocument(page);
  // Not dropped silently back to "You are verified": the customer is told.
  await expectScreen(page, cat, 'DocRefusedTitle', 30_000);
  await expect(page.locator('main')).toContainText(/four corners/i);
  await shot(page, info, 'document-refused');
  await page.getByRole('button', { name: cat.messages.SendAnotherDocument }).click();
  await expectCapture(page);
  await sendDocument(page);
  await expectScreen(page, cat, 'VerifiedTitle', 30_000);
  const state = await serverState(page);
  expect(state.methods.filter((m) => m === 'document_submission')).toHaveLength(2);
  expect(state.customer_state).toBe('verified');
});

test('a review that could not confirm the date of birth asks for a bank statement', async ({ page }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=review-asks-bank-statement&${FAST}`);
  await startCapture(page, cat);
  await completeCapture(page);
  await expectScreen(page, cat, 'DocumentsRequestedTitle', 30_000);
  const screen = page.locator('main');
  await expect(screen).toContainText(/date of birth/i);
  await expect(screen).toContainText(/bank statement/i);
  await expect(screen).toContainText('90 days');
});

test('a review of an address asks for a bill; an unreadable one is told and sent again until the review passes', async ({ page }, info) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=review-document-unreadable&${FAST}`);
  await startCapture(page, cat);
  await completeCapture(page);
  await expectScreen(page, cat, 'DocumentsRequestedTitle', 30_000);
  // Seed 001: a utility or telephone bill for an address.
  await expect(page.locator('main')).toContainText(/utility/i);
  await expect(page.locator('main')).toContainText(/phone bill/i);
  await page.getByRole('button', { name: cat.messages.SendDocument }).click();
  await expectCapture(page);
  await sendDocument(page);
  await expectScreen(page, cat, 'DocRefusedTitle', 30_000);
  await shot(page, info, 'document-refused-review');
  // Sending it again never starts an ID and selfie check.
  await page.getByRole('button', { name: cat.messages.SendAnotherDocument }).click();
  await expectCapture(page);
  await sendDocument(page);
  await expectScreen(page, cat, 'VerifiedTitle', 45_000);
  const state = await serverState(page);
  expect(state.methods.filter((m) => m === 'id_and_selfie')).toHaveLength(1);
  expect(state.methods.filter((m) => m === 'document_submission')).toHaveLength(2);
});
