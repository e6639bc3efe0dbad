import { test, expect } from '@playwright/test';

test('the first screen renders and starts', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/sandbox/start?scenario=passes');
  const heading = page.getByRole('heading', { level: 1, name: 'Before you start' });
  await expect(heading).toBeVisible();
  const start = page.getByRole('button', { name: 'Start verification' });
  await expect(start).toBeEnabled();
  await page.screenshot({
    path: `tests/e2e/screenshots/${testInfo.project.name}-first-screen.png`,
    fullPage: true,
  });
  await start.click();
  await expect(page.getByRole('button', { name: 'Starting…' })).toBeDisabled();
  expect(errors).toEqual([]);
});
