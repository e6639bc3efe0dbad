// The camera check ("Check my camera" on the prep screen, src/ui/rehearsal.rs): Chromium's
// fake camera plays clips this file writes itself (dark, blurred, glare, good), one browser
// per clip; the app must say the matching thing, pass the good clip, send nothing over the
// network while the camera is on, and have stopped every track before Persona opens. Then a
// refused camera and one that never answers. Phone only (the screenshots are a phone's).
import { test, expect, devices, type Browser, type Page, type TestInfo } from '@playwright/test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { catalog, completeCapture, expectCapture, expectScreen, FAST, shot, start, startCapture, texts, type Catalog } from './helpers';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

// --- Clips ------------------------------------------------------------------------------

const W = 1280;
const H = 720;

/** A luma plane (BT.601 video range, as Chromium reads a y4m) from grey levels 0-255. */
function luma(grey: Uint8Array): Uint8Array {
  return grey.map((g) => Math.round(16 + (g * 219) / 255));
}

/** Squares of `side` px, grey `dark` and `light`: the print of an ID, roughly. */
function checkerboard(side: number, dark: number, light: number): Uint8Array {
  const img = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) img[y * W + x] = ((Math.floor(x / side) + Math.floor(y / side)) % 2 === 0 ? dark : light);
  return img;
}

/** A box blur of `radius`, horizontal then vertical: a lens that cannot focus. */
function blur(img: Uint8Array, radius: number): Uint8Array {
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let sum = 0;
        for (let d = -radius; d <= radius; d++) {
          const sx = horizontal ? Math.min(W - 1, Math.max(0, x + d)) : x;
          const sy = horizontal ? y : Math.min(H - 1, Math.max(0, y + d));
          sum += src[sy * W + sx];
        }
        out[y * W + x] = Math.round(sum / (2 * radius + 1));
      }
    return out;
  };
  return pass(pass(img, true), false);
}

/** Writes a y4m clip of three identical frames (Chromium loops it) whose luma is `grey`. */
function writeClip(file: string, grey: Uint8Array, lumaPlane?: Uint8Array): void {
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`);
  const y = Buffer.from(lumaPlane ?? luma(grey));
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([header, frame, frame, frame]));
  fs.renameSync(tmp, file); // atomic: another worker never reads half a clip
}

const CLIPS = {
  // A dim room: print at grey 15 and 35.
  dark: () => writeClip(clipPath('dark'), checkerboard(16, 15, 35)),
  // Print blurred over 25 px at 1280 wide (about 12 px once scaled to the 640 measured).
  blurred: () => writeClip(clipPath('blurred'), blur(checkerboard(16, 40, 210), 12)),
  // Good print with a lamp's reflection in the middle: clipped luma (255, above video white).
  glare: () => {
    const plane = luma(checkerboard(16, 40, 210));
    for (let y = 260; y < 460; y++) for (let x = 540; x < 740; x++) plane[y * W + x] = 255;
    writeClip(clipPath('glare'), new Uint8Array(0), plane);
  },
  good: () => writeClip(clipPath('good'), checkerboard(16, 40, 210)),
};
type Clip = keyof typeof CLIPS;

function clipPath(name: Clip): string {
  return path.join(os.tmpdir(), 'kyc-camera-clips', `${name}.y4m`);
}

function clip(name: Clip): string {
  fs.mkdirSync(path.dirname(clipPath(name)), { recursive: true });
  if (!fs.existsSync(clipPath(name))) CLIPS[name]();
  return clipPath(name);
}

// --- Browsers ---------------------------------------------------------------------------

/** Records every camera stream the page opens, the tracks' states when Persona's frame is
 * added, and the app's events for the host page. */
const WATCH = () => {
  const w = window as any;
  w.__streams = [];
  w.__events = [];
  w.__atPersona = null;
  window.addEventListener('kyc-onboarding', (e: any) => w.__events.push(e.detail));
  const media = navigator.mediaDevices;
  if (media && !w.__neverAnswer) {
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = async (c: MediaStreamConstraints) => {
      const stream = await original(c);
      w.__streams.push(stream);
      return stream;
    };
  }
  new MutationObserver(() => {
    if (w.__atPersona === null && document.querySelector('iframe.persona-widget__iframe')) {
      w.__atPersona = w.__streams.flatMap((s: MediaStream) => s.getTracks().map((t) => t.readyState));
    }
  }).observe(document, { childList: true, subtree: true });
};

/** A phone page in a browser of its own, its fake camera fed with `args`. */
async function phone(playwright: any, info: TestInfo, args: string[], before?: string): Promise<{ browser: Browser; page: Page }> {
  const browser: Browser = await playwright.chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...BASE_ARGS, ...args],
  });
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL: info.project.use.baseURL });
  if (before) await context.addInitScript(before);
  await context.addInitScript(WATCH);
  return { browser, page: await context.newPage() };
}

/** To the prep screen, with everything it fetches in the background already there: the
 * second module (which links its stylesheet when it first runs), Persona's SDK, and no
 * request still on its way. (Not `networkidle`: it sometimes never came on a loaded
 * machine, and it says nothing about what was still loading.) */
async function toPrep(page: Page, cat: Catalog, scenario = 'passes'): Promise<void> {
  const pending = new Map<object, string>();
  page.on('request', (r) => pending.set(r, r.url()));
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
  await start(page, `scenario=${scenario}&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  await expect(page.locator('link#kyc-later-css')).toHaveCount(1);
  await page.waitForFunction(() => 'Persona' in window);
  await expect.poll(() => [...pending.values()], { message: 'requests still on their way' }).toEqual([]);
}

async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const r = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false });
    return r.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`);
  }, TAGS);
}

/** The live region's text. */
const status = (page: Page) => page.locator('.cam-status');

async function trackStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__streams.flatMap((s: MediaStream) => s.getTracks().map((t) => t.readyState)));
}

test.beforeEach(({}, info) => {
  test.skip(info.project.name !== 'phone', 'a phone test: one run is enough');
});

// --- Feedback per clip ------------------------------------------------------------------

const EXPECTED: Record<Exclude<Clip, 'good'>, string> = { dark: 'CamDark', blurred: 'CamBlurry', glare: 'CamGlare' };

for (const [name, key] of Object.entries(EXPECTED) as [Exclude<Clip, 'good'>, string][]) {
  test(`a ${name} picture gets "${key}", and nothing goes over the network`, async ({ playwright }, info) => {
    const { browser, page } = await phone(playwright, info, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip(name)}`]);
    try {
      const cat = await catalog(page.request);
      await toPrep(page, cat);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.getByRole('button', { name: cat.messages.CamCheck }).click();
      await expectScreen(page, cat, 'CamCheck');
      await page.getByRole('button', { name: cat.messages.CamOpen }).click();
      await expect(status(page)).toHaveText(cat.messages[key]);
      await expect(page.locator('video')).toBeVisible();
      await shot(page, info, `camera-${name}`);
      // It stays said: the same verdict is not repeated (the region's text does not move).
      await page.getByRole('button', { name: cat.messages.CamSkip }).click();
      await expectScreen(page, cat, 'PrepTitle');
      expect(requests, 'no request while the camera was on').toEqual([]);
      expect(await trackStates(page)).toEqual(['ended']);
      const events = await page.evaluate(() => (window as any).__events.filter((e: any) => e.type === 'camera_check'));
      expect(events).toHaveLength(1);
      expect(events[0].finished).toBe(false);
      const check = { dark: 'id_light', blurred: 'id_sharpness', glare: 'id_glare' }[name];
      expect(events[0].checks[check]).toBe(false);
      // No image, no measure, nothing but which checks passed.
      expect(Object.keys(events[0]).sort()).toEqual(['checks', 'finished', 'source', 'type', 'version']);
    } finally {
      await browser.close();
    }
  });
}

test('a good picture passes both parts, by keyboard alone, and the camera is off before Persona opens', async ({ playwright }, info) => {
  const { browser, page } = await phone(playwright, info, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip('good')}`]);
  try {
    const cat = await catalog(page.request);
    await toPrep(page, cat);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByRole('button', { name: cat.messages.CamCheck }).focus();
    await page.keyboard.press('Enter');
    await expectScreen(page, cat, 'CamCheck');
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    await expect(page.getByText(cat.messages.CamPrivacy)).toBeVisible();
    expect(await axe(page), 'axe on the explanation').toEqual([]);
    await page.keyboard.press('Tab');
    const main = page.getByRole('button', { name: cat.messages.CamOpen });
    await expect(main).toBeFocused();
    await page.keyboard.press('Enter');
    // The ID: good light, sharp, no glare; the one button keeps the focus.
    await expect(status(page)).toHaveText(cat.messages.CamGood);
    await expect(page.getByText(cat.messages.DeviceDesktopBody)).toHaveCount(0);
    await shot(page, info, 'camera-good-id');
    expect(await axe(page), 'axe on the live preview').toEqual([]);
    const next = page.getByRole('button', { name: cat.messages.CamNext });
    await expect(next).toBeFocused();
    await page.keyboard.press('Enter');
    // The selfie, with another request for the front camera; the ID's camera stopped.
    await expect(page.getByText(cat.messages.TipSelfieFaceCamera)).toBeVisible();
    await expect(status(page)).toHaveText(cat.messages.CamGood);
    await shot(page, info, 'camera-good-selfie');
    expect(await trackStates(page)).toEqual(['ended', 'live']);
    await expect(page.getByRole('button', { name: cat.messages.CamDone })).toBeFocused();
    await page.keyboard.press('Enter');
    await expectScreen(page, cat, 'PrepTitle');
    expect(requests, 'no request while the camera was on').toEqual([]);
    expect(await trackStates(page)).toEqual(['ended', 'ended']);
    const events = await page.evaluate(() => (window as any).__events.filter((e: any) => e.type === 'camera_check'));
    expect(events).toEqual([
      {
        source: 'kyc-onboarding',
        version: 1,
        type: 'camera_check',
        finished: true,
        checks: { id_light: true, id_sharpness: true, id_glare: true, id_resolution: true, selfie_light: true, selfie_sharpness: true, selfie_glare: true },
      },
    ]);
    // On to Persona: every track of the check had ended before its frame came.
    await page.getByRole('button', { name: cat.messages.PrepStart }).click();
    await expectCapture(page);
    expect(await page.evaluate(() => (window as any).__atPersona)).toEqual(['ended', 'ended']);
  } finally {
    await browser.close();
  }
});

test('leaving the check another way (a language switch) stops the camera too', async ({ playwright }, info) => {
  const { browser, page } = await phone(playwright, info, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip('good')}`]);
  try {
    const cat = await catalog(page.request);
    await toPrep(page, cat);
    await page.getByRole('button', { name: cat.messages.CamCheck }).click();
    await page.getByRole('button', { name: cat.messages.CamOpen }).click();
    await expect(status(page)).toHaveText(cat.messages.CamGood);
    expect(await trackStates(page)).toEqual(['live']);
    // The page is rendered again in French: the check's screen goes, and its camera with it.
    await page.getByRole('combobox').selectOption('fr-CA');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText((await texts('fr-CA')).PrepTitle);
    expect(await trackStates(page)).toEqual(['ended']);
  } finally {
    await browser.close();
  }
});

// --- Failures ---------------------------------------------------------------------------

test('a refused camera gets the steps to allow it, and the customer goes on without it', async ({ playwright }, info) => {
  // Without --use-fake-ui-for-media-stream the browser's prompt is answered "Block".
  const { browser, page } = await phone(playwright, info, ['--use-fake-device-for-media-stream', '--deny-permission-prompts']);
  try {
    const cat = await catalog(page.request);
    await toPrep(page, cat);
    await page.getByRole('button', { name: cat.messages.CamCheck }).click();
    await page.getByRole('button', { name: cat.messages.CamOpen }).click();
    await expect(status(page)).toHaveText(cat.messages.DeviceBlockedTitle);
    await expect(page.getByText(cat.messages.DeviceBlockedAndroid)).toBeVisible();
    await expect(page.getByRole('button', { name: cat.messages.TryAgain })).toBeVisible();
    expect(await axe(page), 'axe on the refusal').toEqual([]);
    await shot(page, info, 'camera-denied');
    await page.getByRole('button', { name: cat.messages.CamSkip }).click();
    await expectScreen(page, cat, 'PrepTitle');
    await expect(page.getByRole('button', { name: cat.messages.PrepStart })).toBeEnabled();
  } finally {
    await browser.close();
  }
});

test('a camera that never answers gets the in-app browser advice after a while', async ({ playwright }, info) => {
  // Some in-app browsers leave getUserMedia pending for ever.
  const { browser, page } = await phone(
    playwright,
    info,
    ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    'window.__neverAnswer = true; if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = () => new Promise(() => {});',
  );
  try {
    const cat = await catalog(page.request);
    await toPrep(page, cat);
    await page.getByRole('button', { name: cat.messages.CamCheck }).click();
    await page.getByRole('button', { name: cat.messages.CamOpen }).click();
    await expect(status(page)).toHaveText(cat.messages.CamOpening);
    // The app's patience is 12 s (CAMERA_PATIENCE_MS).
    await expect(status(page)).toHaveText(cat.messages.DeviceInAppTitle, { timeout: 20_000 });
    await expect(page.getByText(cat.messages.DeviceInAppAndroid)).toBeVisible();
    // The way out of another app's browser: a one-time link for the customer's own.
    await page.getByRole('button', { name: cat.messages.DeviceCopyLink }).click();
    await expect(page.locator('.link-for-browser')).toContainText(cat.messages.DeviceLinkLabel);
    await shot(page, info, 'camera-no-answer');
    await page.getByRole('button', { name: cat.messages.CamSkip }).click();
    await expectScreen(page, cat, 'PrepTitle');
  } finally {
    await browser.close();
  }
});

test('a failed photo of the ID is told with what the camera check had found, and the check is offered again', async ({ playwright }, info) => {
  const { browser, page } = await phone(playwright, info, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip('dark')}`]);
  try {
    const cat = await catalog(page.request);
    // Seed 001: id_quality_check_failure, an ID that could not be verified for its image quality.
    await toPrep(page, cat, 'fails-retry');
    await page.getByRole('button', { name: cat.messages.CamCheck }).click();
    await page.getByRole('button', { name: cat.messages.CamOpen }).click();
    await expect(status(page)).toHaveText(cat.messages.CamDark);
    await page.getByRole('button', { name: cat.messages.CamSkip }).click();
    await expectScreen(page, cat, 'PrepTitle');
    await startCapture(page, cat);
    await completeCapture(page);
    await expectScreen(page, cat, 'RetryTitle');
    const found = page.locator('[data-camera-check]');
    await expect(found.getByRole('heading', { level: 2 })).toHaveText(cat.messages.CamBackTitle);
    await expect(found).toContainText(cat.messages.CamBackFix);
    await expect(found.locator('li')).toHaveText([cat.messages.CamDark]);
    await shot(page, info, 'camera-looking-back');
    // Checked again from here, in the retry screen's place, and back.
    await page.getByRole('button', { name: cat.messages.CamBackTry }).click();
    await expectScreen(page, cat, 'CamCheck');
    await page.getByRole('button', { name: cat.messages.CamOpen }).click();
    await expect(status(page)).toHaveText(cat.messages.CamDark);
    await page.getByRole('button', { name: cat.messages.CamSkip }).click();
    await expectScreen(page, cat, 'RetryTitle');
    await expect(found.locator('li')).toHaveText([cat.messages.CamDark]);
    expect(await trackStates(page)).toEqual(['ended', 'ended']);
    expect(await axe(page), 'axe on the retry screen with the camera check').toEqual([]);
  } finally {
    await browser.close();
  }
});
