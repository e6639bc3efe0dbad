// Benchmark probes that need a browser: start-to-flow latency (inquiry delay 0 and 1500 ms),
// resume latency, and memory after 20 Persona open/cancel cycles. Prints one JSON object.
// Run by `cargo xtask bench` with BASE_URL pointing at a sandbox server.
import { chromium, devices } from '@playwright/test';

const base = process.env.BASE_URL;
const runs = Number(process.env.BENCH_RUNS ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
});

// The app's own texts (one source of truth), so a wording change cannot break the probes.
const { messages: msg } = await (await fetch(`${base}/sandbox/api/catalog`)).json();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** A page that records when each host event arrives (performance.now()). */
async function newPage() {
  const context = await browser.newContext({ ...devices['Pixel 7'] });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__times = {};
    addEventListener('kyc-onboarding', (e) => { window.__times[e.detail.type] = performance.now(); });
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
    // When the tap reaches the page: Playwright's own checks before it are not the customer's wait.
    addEventListener('click', () => { window.__clicked = performance.now(); }, true);
  });
  return { context, page };
}

/** Clicks the button named `name` and returns ms until Persona's `ready`. */
async function clickToReady(page, name) {
  const button = page.getByRole('button', { name });
  await button.waitFor();
  await button.click();
  await page.waitForFunction(() => window.__times.persona_ready !== undefined, null, { timeout: 60_000 });
  const [clicked, ready] = await page.evaluate(() => [window.__clicked, window.__times.persona_ready]);
  return ready - clicked;
}

async function startToFlow(delay) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await newPage();
    await page.goto(`${base}/sandbox/start?scenario=passes&inquiry_delay_ms=${delay}`);
    samples.push(await clickToReady(page, msg.PrepStart));
    await context.close();
  }
  return { delay_ms: delay, median_ms: Math.round(median(samples)), overhead_ms: Math.round(median(samples) - delay), samples: samples.map(Math.round) };
}

async function resume() {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await newPage();
    await page.goto(`${base}/sandbox/start?scenario=pending-resume`);
    samples.push(await clickToReady(page, msg.Resume));
    await context.close();
  }
  return { median_ms: Math.round(median(samples)), samples: samples.map(Math.round) };
}

async function memory() {
  const { context, page } = await newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
    const wasm = await page.evaluate(() => window.__wasm.memory.buffer.byteLength);
    return { heap, wasm };
  };
  await page.goto(`${base}/sandbox/start?scenario=pending-resume&decision_delay_ms=60000`);
  const frame = page.frameLocator('iframe.persona-widget__iframe');
  const cycle = async () => {
    await page.getByRole('button', { name: msg.Resume }).click();
    await frame.getByRole('button', { name: 'Exit the simulated flow' }).click();
    await page.getByRole('heading', { name: msg.PausedTitle }).waitFor();
  };
  await page.getByRole('heading', { name: msg.PausedTitle }).waitFor();
  await cycle();
  const before = await measure();
  for (let i = 0; i < 20; i++) await cycle();
  const after = await measure();
  await context.close();
  return {
    js_heap_before: before.heap, js_heap_after: after.heap,
    wasm_before: before.wasm, wasm_after: after.wasm,
  };
}

const result = {
  start_to_flow: [await startToFlow(0), await startToFlow(1500)],
  resume: await resume(),
  memory_after_20_cycles: await memory(),
};
await browser.close();
console.log(JSON.stringify(result));
