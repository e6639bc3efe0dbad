// The fault matrix: each backend call x each fault kind, injected by the sandbox. For every
// cell the flow (with a cancel and a resume, so every call happens) still ends verified, the
// server holds exactly one verification, and the page logs no uncaught error or panic.
// Each cell's result goes to target/fault-matrix/, which `cargo xtask test` prints as a table.
import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import { beginCapture, catalog, completeCapture, exitPersona, expectCapture, expectScreen, FAST, serverState, start, startCapture } from './helpers';

const endpoints = ['session', 'customer', 'list', 'create', 'verification', 'persona_session'];
const kinds: Array<[string, string]> = [
  ['latency', 'latency=1200:1'],
  ['500', '500:2'],
  ['503', '503:2'],
  ['429+Retry-After', '429=1:2'],
  ['dropped connection', 'drop:1'],
  ['malformed JSON', 'malformed:1'],
  ['lost response', 'lost:1'],
];
const dir = process.env.FAULT_MATRIX_DIR ?? 'target/fault-matrix';

test.describe('fault matrix', () => {
  test.skip(({ isMobile }) => isMobile, 'one browser is enough for the matrix');

  for (const endpoint of endpoints) {
    for (const [kind, rule] of kinds) {
      test(`${endpoint} x ${kind}`, async ({ page }) => {
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('console', (m) => {
          if (/panicked|RuntimeError|unreachable/.test(m.text())) problems.push(m.text());
        });
        let outcome = 'not reached';
        let verifications = -1;
        try {
          const cat = await catalog(page.request);
          await start(page, `scenario=passes&${FAST}&fault=${endpoint}:${rule}`);
          await startCapture(page, cat);
          await beginCapture(page);
          await exitPersona(page);
          await expectScreen(page, cat, 'PausedTitle');
          await page.getByRole('button', { name: cat.messages.Resume }).click();
          await expectCapture(page);
          await completeCapture(page, true);
          await expectScreen(page, cat, 'VerifiedTitle');
          outcome = 'verified';
          verifications = (await serverState(page)).verifications;
          expect(verifications).toBe(1);
          expect(problems).toEqual([]);
        } finally {
          fs.mkdirSync(dir, { recursive: true });
          const pass = outcome === 'verified' && verifications === 1 && problems.length === 0;
          fs.writeFileSync(
            `${dir}/${endpoint}--${kind.replace(/[^a-z0-9]+/gi, '-')}.json`,
            JSON.stringify({ endpoint, kind, outcome, verifications, errors: problems.length, pass }),
          );
        }
      });
    }
  }
});
