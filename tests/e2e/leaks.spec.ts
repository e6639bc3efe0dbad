// Opening and cancelling Persona twenty times leaves at most one iframe, no extra window
// listeners, and memory that stays flat.
//
// The bounds: after garbage collection, the JS heap may grow by at most 1.5 MB over 20
// cycles and the wasm memory by at most 256 KB. One leaked Persona client per cycle (its
// overlay, iframe element, closures and the SDK's listeners) would add well over 1.5 MB over
// 20 cycles and would also show in the listener count, which must not grow at all; the
// margin covers the engine's own caches and allocator slack.
import { test, expect } from '@playwright/test';
import { beginCapture, catalog, exitPersona, expectCapture, expectScreen, FAST, start, startCapture } from './helpers';

test('open and cancel Persona 20 times', async ({ page, isMobile }) => {
  test.skip(isMobile, 'measured once, on desktop');
  test.setTimeout(180_000);
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e: any) => ((window as any).__wasm = e.detail.wasm));
  });
  const cat = await catalog(page.request);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')!.value;
    const wasm = await page.evaluate(() => (window as any).__wasm.memory.buffer.byteLength as number);
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    return { heap, wasm, listeners: listeners.length };
  };
  /** From the paused screen: continue, wait for Persona, leave it, back on the paused screen. */
  const cycle = async () => {
    await page.getByRole('button', { name: cat.messages.Resume }).click();
    await expectCapture(page);
    await expect(page.locator('iframe')).toHaveCount(1);
    await exitPersona(page);
    await expectScreen(page, cat, 'PausedTitle');
    await expect(page.locator('iframe.persona-widget__iframe')).toHaveCount(0);
    await expect(page.locator('.persona-widget__overlay')).toHaveCount(0);
  };

  await start(page, `scenario=passes&${FAST}`);
  await startCapture(page, cat);
  await beginCapture(page);
  await exitPersona(page);
  await expectScreen(page, cat, 'PausedTitle');
  for (let i = 0; i < 2; i++) await cycle(); // warm up caches and the allocator
  const before = await measure();
  for (let i = 0; i < 20; i++) await cycle();
  const after = await measure();
  console.log(`leak check: heap ${before.heap} -> ${after.heap}, wasm ${before.wasm} -> ${after.wasm}, window listeners ${before.listeners} -> ${after.listeners}`);
  expect(after.listeners).toBeLessThanOrEqual(before.listeners);
  expect(after.heap - before.heap).toBeLessThan(1.5 * 1024 * 1024);
  expect(after.wasm - before.wasm).toBeLessThanOrEqual(256 * 1024);
});
