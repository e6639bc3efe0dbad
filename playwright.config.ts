// End-to-end tests: the real built app, served by the real server, in Debian's Chromium.
// Playwright drives Chromium through CDP (viewports, device emulation, offline mode, network
// faults, heap metrics) with its own test runner; it never downloads a browser: see README.
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 8741);
// The integrator-configured server's own port (the test command picks a free one for each).
const brandedPort = Number(process.env.E2E_BRANDED_PORT ?? port + 1);
process.env.E2E_BRANDED_PORT = String(brandedPort);
const server = process.env.KYC_SERVER_BIN ?? 'target/debug/kyc-server';

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    // A fake camera, so the device check sees one and nothing prompts.
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
  ],
};

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions: chromium } },
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions: chromium } },
  ],
  webServer: [
    {
      command: `${server} --addr 127.0.0.1:${port} --dist dist`,
      url: `http://127.0.0.1:${port}/healthz`,
      // Failed handoff codes count per address, and every test comes from 127.0.0.1: the
      // tests that try bad codes must not take each other's turn (the limit itself is
      // tested in server/tests/handoff.rs).
      env: { ...process.env, KYC_HOST_ORIGIN: `http://127.0.0.1:${port}`, KYC_HANDOFF_FAILURES_PER_MINUTE: '1000' } as Record<string, string>,
      reuseExistingServer: false,
      stdout: 'ignore',
      timeout: 30_000,
    },
    {
      // An integrator's configuration: brand, support contact, tip groups, language.
      command: `${server} --addr 127.0.0.1:${brandedPort} --dist dist`,
      url: `http://127.0.0.1:${brandedPort}/healthz`,
      env: {
        ...process.env,
        KYC_BRAND_NAME: 'Acme Bank',
        KYC_BRAND_LOGO_URL: '/favicon.svg',
        KYC_BRAND_PRIMARY: '#0b5d3b',
        KYC_BRAND_ON_PRIMARY: '#ffffff',
        KYC_BRAND_RADIUS_PX: '4',
        KYC_BRAND_FONT: 'Georgia, serif',
        KYC_SUPPORT_URL: 'https://support.acme.example/kyc',
        KYC_SUPPORT_TEXT: 'Message Acme support',
        KYC_RETURN_URL: 'acmebank://kyc/done',
        KYC_TIP_GROUPS: 'id-photo,selfie',
        KYC_LANGUAGE: 'fr-CA',
      } as Record<string, string>,
      reuseExistingServer: false,
      stdout: 'ignore',
      timeout: 30_000,
    },
  ],
});
