// WCAG 2.2 AA beyond what axe checks (a11y.spec.ts) and beyond reflow (reflow.spec.ts), screen
// by screen on a phone and a desktop: focus visible and not obscured (2.4.7, 2.4.11) by
// tabbing through each screen, target size (2.5.8), forced colours (Windows high contrast:
// 1.4.11 and 2.4.7 there, the QR code still dark on light), prefers-reduced-motion (2.3.3's
// advice, 2.2.2), status messages in the browser's own accessibility tree (4.1.3), and the
// time limits (2.2.1). Thresholds are WCAG's; expected texts come from the app's catalog.
// docs/accessibility.md names each test here against its criterion.
import { test, expect, type Page, type CDPSession } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { SERVER, exited, freePort, ok, start as startProcess, until } from './deployment';
import { catalog, completeCapture, expectCapture, expectScreen, FAST, openScreen, SCREENS, start, startCapture, type Catalog } from './helpers';

/** One stop of the keyboard's tab order, as the page draws it. */
type Stop = {
  name: string;
  /** Its focus indicator: outline style and width in CSS px, box shadow. */
  outline: string;
  width: number;
  shadow: string;
  /** Contrast of the indicator's colour against what is behind the control (WCAG ratio). */
  contrast: number;
  /** Sample points of the control (centre, middle of each edge) that another element covers or
   *  that lie outside the viewport. */
  covered: string[];
};

/** Describes the focused element (null: the page itself, or a frame, has focus). Runs in
 *  the page. */
function describeFocus(): (Stop & { key: number }) | null {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body || el === document.documentElement || el.tagName === 'IFRAME') return null;
  const rgb = (c: string): number[] | null => {
    const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    if (!m) return null;
    if (m[4] !== undefined && Number(m[4]) === 0) return null;
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  };
  const luminance = ([r, g, b]: number[]) => {
    const f = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  // What is behind the control: the nearest ancestor with a background, else the canvas.
  let behind: number[] | null = null;
  for (let e: Element | null = el.parentElement; e && !behind; e = e.parentElement) behind = rgb(getComputedStyle(e).backgroundColor);
  behind ??= rgb(getComputedStyle(document.documentElement).backgroundColor) ?? [255, 255, 255];
  const style = getComputedStyle(el);
  const ring = rgb(style.outlineColor) ?? behind;
  const [a, b] = [luminance(ring), luminance(behind)].sort((x, y) => y - x);
  const box = el.getBoundingClientRect();
  // The centre and the middle of each edge, just inside it (a rounded corner is not part of
  // the control where the page draws it).
  const inset = 3;
  const [cx, cy] = [box.left + box.width / 2, box.top + box.height / 2];
  const points: [string, number, number][] = [
    ['centre', cx, cy],
    ['top', cx, box.top + inset],
    ['bottom', cx, box.bottom - inset],
    ['left', box.left + inset, cy],
    ['right', box.right - inset, cy],
  ];
  const covered = points
    .filter(([, x, y]) => {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return true;
      const hit = document.elementFromPoint(x, y);
      return !hit || !(hit === el || el.contains(hit) || (el.tagName === 'SELECT' && hit.closest('label')?.contains(el)));
    })
    .map(([where]) => {
      const [, x, y] = points.find(([w]) => w === where)!;
      const hit = document.elementFromPoint(x, y);
      return `${where} (${hit ? `${hit.tagName.toLowerCase()}.${hit.className}` : 'outside the viewport'})`;
    });
  const name = `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
  // The element itself is the key, not its place in the document: a finding the device check
  // adds while the keys are taken must not make a control seen before look new.
  const w = window as unknown as { stopKeys?: WeakMap<Element, number>; nextStopKey?: number };
  w.stopKeys ??= new WeakMap();
  let key = w.stopKeys.get(el);
  if (key === undefined) {
    key = w.nextStopKey = (w.nextStopKey ?? 0) + 1;
    w.stopKeys.set(el, key);
  }
  return {
    key,
    name,
    outline: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    shadow: style.boxShadow,
    contrast: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100,
    covered,
  };
}

/** Presses Tab through the whole screen, once round: every stop, in order. */
async function tabThrough(page: Page): Promise<Stop[]> {
  const stops: Stop[] = [];
  const seen = new Set<number>();
  let outside = 0;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(describeFocus);
    if (!stop) {
      // Past the last control focus leaves the page once, then comes back to the first.
      if (++outside > 2) break;
      continue;
    }
    if (seen.has(stop.key)) return stops;
    seen.add(stop.key);
    const { key: _, ...rest } = stop;
    stops.push(rest);
  }
  if (stops.length === 0) throw new Error('no control takes focus');
  return stops;
}

/** Where a stop fails 2.4.7 (a visible indicator: an outline of 2 CSS px or more, or a
 *  shadow, that contrasts 3:1 with what is behind: 1.4.11) or 2.4.11 (not hidden). */
function focusFaults(stops: Stop[]): string[] {
  const faults: string[] = [];
  for (const s of stops) {
    const ring = (s.outline !== 'none' && s.width >= 2) || s.shadow !== 'none';
    if (!ring) faults.push(`${s.name}: no focus indicator (outline ${s.outline} ${s.width}px)`);
    else if (s.outline !== 'none' && s.contrast < 3) faults.push(`${s.name}: indicator contrast ${s.contrast}:1`);
    if (s.covered.length) faults.push(`${s.name}: covered at ${s.covered.join(', ')}`);
  }
  return faults;
}

/** The controls of the page smaller than 24 by 24 CSS px (2.5.8). The brief asks it of every
 *  control, so WCAG's spacing exception is not taken; its inline exception is (a link inside
 *  a sentence is as tall as the line). Runs in the page. */
function smallTargets(): string[] {
  const selector = 'a[href], button, select, summary, input:not([type=hidden]), textarea, [role=button], [tabindex]:not([tabindex="-1"])';
  const inSentence = (e: HTMLElement) =>
    e.tagName === 'A' &&
    getComputedStyle(e).display === 'inline' &&
    (e.parentElement?.textContent ?? '').trim().length > (e.textContent ?? '').trim().length;
  return [...document.querySelectorAll<HTMLElement>(selector)]
    .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !inSentence(e))
    .map((e) => ({ e, r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.width < 24 || r.height < 24)
    .map(({ e, r }) => `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
}

for (const screen of SCREENS) {
  test.describe(screen.name, () => {
    test.skip(({ isMobile }) => !!screen.desktop && isMobile, "a computer's screen");

    test(`${screen.name}: focus visible and never hidden, tabbing through (2.4.7, 2.4.11)`, async ({ page, browser }) => {
      const cat = await catalog(page.request);
      await openScreen(page, cat, browser, screen);
      const url = page.url();
      const stops = await tabThrough(page);
      expect(focusFaults(stops), stops.map((s) => s.name).join(' → ')).toEqual([]);
      // Every control of the screen is a stop (2.1.1, and no trap keeps Tab from the rest:
      // 2.1.2), and focus alone changed nothing (3.2.1).
      expect(stops.length).toBe(await page.evaluate(focusableCount));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(cat.messages[screen.heading]);
      expect(page.url()).toBe(url);
    });

    test(`${screen.name}: controls' text and edges contrast, light and dark (1.4.3, 1.4.11)`, async ({ page, browser }) => {
      const cat = await catalog(page.request);
      await openScreen(page, cat, browser, screen);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect(await page.evaluate(unseenControls), colorScheme).toEqual([]);
      }
    });

    test(`${screen.name}: every control at least 24 by 24 CSS px (2.5.8)`, async ({ page, browser }) => {
      const cat = await catalog(page.request);
      await openScreen(page, cat, browser, screen);
      // Tip groups open too: their contents are controls of the screen as well.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      expect(await page.evaluate(smallTargets)).toEqual([]);
    });

    test.describe('forced colours', () => {
      test.use({ forcedColors: 'active' });
      test(`${screen.name}: every control and its focus indicator visible in forced colours (1.4.11, 2.4.7)`, async ({ page, browser }) => {
        const cat = await catalog(page.request);
        await openScreen(page, cat, browser, screen);
        expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
        expect(await page.evaluate(unseenControls)).toEqual([]);
        const stops = await tabThrough(page);
        expect(focusFaults(stops), stops.map((s) => s.name).join(' → ')).toEqual([]);
      });
    });

    test.describe('reduced motion', () => {
      test.use({ reducedMotion: 'reduce' });
      test(`${screen.name}: nothing moves when motion is reduced (2.2.2, 2.3.3)`, async ({ page, browser }) => {
        const cat = await catalog(page.request);
        await openScreen(page, cat, browser, screen);
        expect(await page.evaluate(motion)).toEqual({ animations: [], transitions: [], smoothScroll: [] });
      });
    });
  });
}

/** How many controls of the page take focus by Tab (visible, not disabled). Runs in the page. */
function focusableCount(): number {
  const selector = 'a[href], button:not([disabled]), select:not([disabled]), summary, input:not([type=hidden]):not([disabled]), textarea, iframe, [tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll<HTMLElement>(selector)].filter((e) => e.getClientRects().length > 0 && !e.closest('[inert]') && getComputedStyle(e).visibility !== 'hidden').length;
}

/** Controls without a visible edge or text (in the page's colours, or in forced colours: the
 *  same rule). A control's text must
 *  contrast 4.5:1 with its background, and a button, select or field needs a border that
 *  contrasts 3:1 (its boundary is what identifies it: 1.4.11); links are identified by their
 *  underline or their border. Runs in the page. */
function unseenControls(): string[] {
  const rgb = (c: string): number[] | null => {
    const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    if (!m || (m[4] !== undefined && Number(m[4]) === 0)) return null;
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  };
  const luminance = ([r, g, b]: number[]) => {
    const f = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (x: number[], y: number[]) => {
    const [a, b] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  };
  const background = (e: Element): number[] => {
    for (let a: Element | null = e; a; a = a.parentElement) {
      const c = rgb(getComputedStyle(a).backgroundColor);
      if (c) return c;
    }
    return [255, 255, 255];
  };
  const faults: string[] = [];
  for (const e of document.querySelectorAll<HTMLElement>('a[href], button, select, summary, input:not([type=hidden])')) {
    if (e.getClientRects().length === 0) continue;
    const style = getComputedStyle(e);
    const name = `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
    const bg = background(e);
    const text = rgb(style.color)!;
    if ((e.textContent ?? '').trim() && ratio(text, bg) < 4.5) faults.push(`${name}: text ${ratio(text, bg).toFixed(2)}:1`);
    const edge = ['Top', 'Right', 'Bottom', 'Left'].some((side) => {
      const s = style as unknown as Record<string, string>;
      const colour = rgb(s[`border${side}Color`]);
      return s[`border${side}Style`] !== 'none' && parseFloat(s[`border${side}Width`]) >= 1 && !!colour && ratio(colour, background(e.parentElement ?? e)) >= 3;
    });
    const underlined = style.textDecorationLine.includes('underline');
    // A summary is the edge of its bordered group.
    const group = e.tagName === 'SUMMARY' && e.parentElement ? getComputedStyle(e.parentElement) : null;
    const grouped = !!group && group.borderTopStyle !== 'none' && parseFloat(group.borderTopWidth) >= 1;
    if (e.tagName === 'A' ? !(underlined || edge) : !(edge || grouped)) faults.push(`${name}: no visible edge`);
  }
  return faults;
}

/** What moves on the page: running animations, transitions that last, smooth scrolling. Runs
 *  in the page. */
function motion(): { animations: string[]; transitions: string[]; smoothScroll: string[] } {
  const label = (e: Element | null) => (e ? `${e.tagName.toLowerCase()}.${e.className}` : '?');
  const animations = document
    .getAnimations()
    .filter((a) => a.playState === 'running')
    .map((a) => label((a.effect as KeyframeEffect | null)?.target as Element | null));
  const all = [document.documentElement, ...document.querySelectorAll('body, body *')];
  const transitions = all
    .filter((e) => getComputedStyle(e).transitionDuration.split(',').some((d) => parseFloat(d) > 0))
    .map(label);
  const smoothScroll = all.filter((e) => getComputedStyle(e).scrollBehavior === 'smooth').map(label);
  return { animations, transitions, smoothScroll };
}

test.describe('reduced motion', () => {
  // The check above would see the app's motion: with motion allowed, the spinner of a
  // screen that waits does turn (so an empty list under `reduce` means it stopped).
  test('the waiting spinner turns unless motion is reduced (2.2.2, 2.3.3)', async ({ page, browser }) => {
    const cat = await catalog(page.request);
    const preparing = SCREENS.find((s) => s.name === 'preparing')!;
    await openScreen(page, cat, browser, preparing);
    expect((await page.evaluate(motion)).animations).toEqual(['span.spinner']);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await page.evaluate(motion)).toEqual({ animations: [], transitions: [], smoothScroll: [] });
  });

  test('the first paint does not spin either while the app arrives (2.2.2, 2.3.3)', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    // The app's wasm never arrives: the static first paint ("Getting things ready") stays.
    await page.route(/_bg\.wasm$/, () => {});
    await start(page, 'scenario=passes');
    await expect(page.locator('#app .spinner')).toBeVisible();
    expect(await page.evaluate(motion)).toEqual({ animations: [], transitions: [], smoothScroll: [] });
  });
});

test.describe('forced colours', () => {
  test.use({ forcedColors: 'active' });
  for (const scheme of ['light', 'dark'] as const) {
    test(`the QR code stays dark on light and scannable in forced colours, ${scheme} (1.4.11)`, async ({ page, browser, isMobile }) => {
      test.skip(isMobile, "a computer's screen");
      await page.emulateMedia({ colorScheme: scheme });
      const cat = await catalog(page.request);
      await openScreen(page, cat, browser, SCREENS.find((s) => s.name === 'handoff')!);
      const png = PNG.sync.read(await page.getByTestId('qr').screenshot());
      // A phone's camera reader expects dark modules on a light ground: no inverted reading.
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: 'dontInvert' });
      expect(decoded?.data, 'the QR code reads, dark on light').toBe(await page.getByTestId('handoff-link').textContent());
    });
  }
});

/** A live region of the browser's accessibility tree: its politeness and its text. */
type Live = { role: string; live: string; text: string };

/** The live regions of the page as Chromium's accessibility tree has them (what a screen
 *  reader is told), and the node that has focus. */
async function accessibilityTree(cdp: CDPSession): Promise<{ live: Live[]; focused: { role: string; name: string } | null }> {
  type Node = { nodeId: string; ignored: boolean; role?: { value: string }; name?: { value: string }; childIds?: string[]; properties?: { name: string; value: { value: unknown } }[] };
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Node[] };
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const prop = (n: Node, name: string) => n.properties?.find((p) => p.name === name)?.value.value;
  const text = (n: Node): string =>
    n.role?.value === 'StaticText' ? (n.name?.value ?? '') : (n.childIds ?? []).map((id) => byId.get(id)).filter((c): c is Node => !!c).map(text).join('');
  const roots = nodes.filter((n) => ['polite', 'assertive'].includes(String(prop(n, 'live'))) && !nodes.some((p) => p.childIds?.includes(n.nodeId) && ['polite', 'assertive'].includes(String(prop(p, 'live')))));
  const focusedNode = nodes.find((n) => prop(n, 'focused') === true && n.role?.value !== 'RootWebArea');
  return {
    live: roots.map((n) => ({ role: n.role?.value ?? '', live: String(prop(n, 'live')), text: text(n).trim() })),
    focused: focusedNode ? { role: focusedNode.role?.value ?? '', name: focusedNode.name?.value ?? '' } : null,
  };
}

/** Waits until `text` is in a live region of the accessibility tree (polite or assertive). */
async function expectAnnounced(cdp: CDPSession, text: string, live: 'polite' | 'assertive' = 'polite'): Promise<void> {
  await expect
    .poll(async () => (await accessibilityTree(cdp)).live.filter((r) => r.live === live && r.text.includes(text)).length, { message: `"${text}" in a ${live} live region` })
    .toBeGreaterThan(0);
}

/** Waits until focus is on the new screen's heading (what a screen reader then reads). */
async function expectFocusOnHeading(cdp: CDPSession, cat: Catalog, key: string): Promise<void> {
  await expect.poll(async () => (await accessibilityTree(cdp)).focused, { message: `focus on the heading "${cat.messages[key]}"` }).toEqual({ role: 'heading', name: cat.messages[key] });
}

test.describe('status messages (4.1.3)', () => {
  test('progress is spoken politely and each outcome moves focus to its heading', async ({ page }) => {
    const cat = await catalog(page.request);
    const cdp = await page.context().newCDPSession(page);
    await start(page, 'scenario=passes&inquiry_delay_ms=4000&decision_delay_ms=4000');
    await expectScreen(page, cat, 'PrepTitle');
    await page.getByRole('button', { name: cat.messages.PrepStart }).click();
    await expectFocusOnHeading(cdp, cat, 'PreparingTitle');
    await expectAnnounced(cdp, cat.messages.StageWaiting);
    await expectCapture(page);
    await completeCapture(page);
    await expectFocusOnHeading(cdp, cat, 'CheckingTitle');
    await expectAnnounced(cdp, cat.messages.CheckingDecision);
    await expectScreen(page, cat, 'VerifiedTitle');
    await expectFocusOnHeading(cdp, cat, 'VerifiedTitle');
  });

  test('a failed check moves focus to its heading', async ({ page }) => {
    const cat = await catalog(page.request);
    const cdp = await page.context().newCDPSession(page);
    await start(page, `scenario=fails-retry&${FAST}`);
    await startCapture(page, cat);
    await completeCapture(page);
    await expectFocusOnHeading(cdp, cat, 'RetryTitle');
  });

  test('going offline is an alert, and so is a language that cannot load', async ({ page, context }) => {
    const cat = await catalog(page.request);
    const cdp = await page.context().newCDPSession(page);
    await start(page, `scenario=passes&${FAST}`);
    await expectScreen(page, cat, 'PrepTitle');
    await context.setOffline(true);
    await expectAnnounced(cdp, cat.messages.OfflineBanner, 'assertive');
    await context.setOffline(false);
    await expect(page.getByText(cat.messages.OfflineBanner)).toHaveCount(0);
    await page.route(/\/locales\//, (route) => route.abort());
    await page.getByRole('combobox').selectOption('fr-CA');
    await expectAnnounced(cdp, cat.messages.LanguageUnavailable, 'assertive');
  });

  test("the handoff's progress and a copied link are spoken", async ({ page, context, browser, isMobile }) => {
    test.skip(isMobile, "a computer's screen");
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const cat = await catalog(page.request);
    const cdp = await page.context().newCDPSession(page);
    await openScreen(page, cat, browser, SCREENS.find((s) => s.name === 'handoff')!);
    await expectAnnounced(cdp, cat.messages.PhoneWaiting);
    await page.getByRole('button', { name: cat.messages.DeviceCopyLink }).click();
    await expectAnnounced(cdp, cat.messages.DeviceLinkCopied);
    const link = (await page.getByTestId('handoff-link').textContent())!;
    const phone = await browser.newContext({ baseURL: new URL(link).origin });
    const phonePage = await phone.newPage();
    await phonePage.goto(link);
    await phonePage.getByRole('button', { name: cat.messages.PageContinueButton }).click();
    await expectAnnounced(cdp, cat.messages.PhoneConnected);
    await phone.close();
  });
});

test.describe('time limits (2.2.1)', () => {
  test("the handoff code's three minutes are said before, its end is spoken, and a new code is one press", async ({ page, browser, isMobile }) => {
    test.skip(isMobile, "a computer's screen");
    const cat = await catalog(page.request);
    const cdp = await page.context().newCDPSession(page);
    const minted = page.waitForResponse((r) => r.url().endsWith('/handoff') && r.request().method() === 'POST');
    await openScreen(page, cat, browser, SCREENS.find((s) => s.name === 'handoff')!);
    // Said on the screen, before it matters...
    await expect(page.getByText(cat.messages.HandoffOnce)).toBeVisible();
    expect(cat.messages.HandoffOnce).toContain('three minutes');
    // ...and true: the server gives the code no more than that.
    const response = await minted;
    // (The Date header is to the second, so it can be up to a second early.)
    const life = Date.parse((await response.json()).expires_at) - Date.parse(response.headers()['date']);
    expect(life).toBeLessThanOrEqual(3 * 60_000 + 1000);
    expect(life).toBeGreaterThan(2 * 60_000);
    // (While the screen is up, the desktop makes the next code before this one lapses, on
    // its own: src/core/flow/tests/handoff.rs pins that timing.)
    // The code runs out (the server says so): the customer hears it, and a new code is there.
    const first = await page.getByTestId('handoff-link').textContent();
    await page.route(/\/handoff\/status$/, async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, json: { ...(await real.json()), code: 'expired' } });
    });
    await expectAnnounced(cdp, cat.messages.PhoneCodeExpired);
    await page.unroute(/\/handoff\/status$/);
    await page.getByRole('button', { name: cat.messages.NewCode }).click();
    await expect(page.getByTestId('handoff-link')).not.toHaveText(first!);
    await expectAnnounced(cdp, cat.messages.PhoneWaiting);
  });

  test('a quiet session warns before its idle end, and one press keeps it', async ({ page }, info) => {
    // A server whose sessions end after 60 s without a request (the shortest it takes):
    // the warning comes halfway, 30 s before the end.
    test.setTimeout(120_000);
    const cat = await catalog(page.request);
    const port = await freePort();
    const server = startProcess(SERVER, ['--addr', `127.0.0.1:${port}`, '--dist', 'dist'], { KYC_SESSION_IDLE_SECS: '60' }, info.outputPath('server.log'));
    try {
      await until('the server', () => ok(`http://127.0.0.1:${port}/healthz`));
      const cdp = await page.context().newCDPSession(page);
      await page.goto(`http://127.0.0.1:${port}/sandbox/start?scenario=passes&${FAST}`);
      await expectScreen(page, cat, 'PrepTitle');
      // Left alone on the prep screen: the warning is spoken (an alert) before the end.
      const warning = page.getByRole('alert').filter({ hasText: cat.messages.SessionEndingBanner });
      await expect(warning).toBeVisible({ timeout: 45_000 });
      await expectAnnounced(cdp, cat.messages.SessionEndingBanner, 'assertive');
      // One press renews the session: a request goes, the warning goes, the screen stays.
      const renewed = page.waitForResponse((r) => r.url().endsWith('/session') && r.status() === 200);
      await warning.getByRole('button', { name: cat.messages.StayHere }).click();
      await renewed;
      await expect(warning).toHaveCount(0);
      await expectScreen(page, cat, 'PrepTitle');
      // And the session did not end: the customer carries on.
      await page.getByRole('button', { name: cat.messages.PrepStart }).click();
      await expectCapture(page);
    } finally {
      server.kill('SIGTERM');
      await exited(server);
    }
  });

  test('a session that ended says so and why, with focus on its heading', async ({ page, context }) => {
    const cat = await catalog(page.request);
    const cdp = await page.context().newCDPSession(page);
    await start(page, `scenario=passes&${FAST}`);
    await expectScreen(page, cat, 'PrepTitle');
    // The session ends (as after its idle time) while the customer is on the first screen.
    await context.clearCookies();
    await page.getByRole('button', { name: cat.messages.PrepStart }).click();
    await expectFocusOnHeading(cdp, cat, 'SessionEndedTitle');
    await expect(page.getByText(cat.messages.SessionEndedBody)).toBeVisible();
  });
});

test('a phone turned sideways still shows the whole screen (1.3.4)', async ({ page, isMobile }) => {
  test.skip(!isMobile, "a phone's orientation");
  const cat = await catalog(page.request);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.height, height: size.width });
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await page.getByRole('button', { name: cat.messages.PrepStart }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('button', { name: cat.messages.PrepStart })).toBeInViewport();
});

test('each language in the picker is named in, and marked as, its own language (3.1.2)', async ({ page }) => {
  const cat = await catalog(page.request);
  await start(page, `scenario=passes&${FAST}`);
  await expectScreen(page, cat, 'PrepTitle');
  // The page is English; a language's own name ("Français") is a part in that language.
  const options = await page.getByRole('combobox').locator('option').evaluateAll((all) => all.map((o) => [o.getAttribute('value'), o.getAttribute('lang')]));
  expect(options.length).toBe(3);
  for (const [value, lang] of options) expect(lang, `the option ${value}`).toBe(value);
});
