// The load benchmark (`cargo xtask bench --load`, never part of the test command): N simulated
// customers at once, each going through a whole verification at the app's own pace, over two
// replicas on one Redis behind a round-robin proxy, in front of a sandbox playing Cybrid
// (tests/e2e/deployment.ts). Loopback only, bounded in count and in time. It reports per route
// the p50 and p99 latency seen by the customers (through the proxy) and the errors, the calls
// Cybrid received per completed verification, and the largest N this machine holds with p99
// under 100 ms and no error. Figures only: nothing here passes or fails on a time.
import { test } from '@playwright/test';
import fs from 'node:fs';
import { Deployment } from '../e2e/deployment';

/** The app's polling pace, as the core's `PollPolicy` has it (src/core/polling.rs). */
const INQUIRY = { initialMs: 150, maxMs: 2_000, steady: 20 };
const RESULT = { initialMs: 1_000, maxMs: 8_000, steady: 0 };
const delay = (policy: typeof INQUIRY, attempt: number) =>
  Math.min(policy.initialMs * 2 ** Math.max(0, attempt - policy.steady), policy.maxMs);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The customer counts tried, smallest first; the run stops at the first that fails. */
const STEPS = (process.env.LOAD_STEPS ?? '10,25,50,100,150,200').split(',').map(Number);
/** The most one step may take: customers not done by then count as errors. */
const STEP_LIMIT_MS = 120_000;

type Sample = { route: string; ms: number; ok: boolean };

/** One customer's whole verification, as the app makes its calls. */
async function customer(d: Deployment, samples: Sample[], deadline: number): Promise<boolean> {
  let cookie = '';
  let csrf = '';
  const call = async (route: string, url: string, init: RequestInit = {}): Promise<Response> => {
    const started = performance.now();
    let response: Response | undefined;
    try {
      response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      });
      return response;
    } finally {
      const ok = !!response && response.status < 500 && response.status !== 429;
      samples.push({ route, ms: performance.now() - started, ok });
    }
  };
  const guid = await d.customer();
  const launched = await call('GET /launch', `${d.base}/launch?token=${d.launchToken(guid)}`);
  cookie = (launched.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie) return false;
  const session = await (await call('GET /session', `${d.base}/session`)).json();
  csrf = session.csrf_token;
  await call('GET /api/customers/{guid}', `${d.base}/api/customers/${guid}`);
  await call('GET /api/identity_verifications', `${d.base}/api/identity_verifications?customer_guid=${guid}`);
  const created = await call('POST /api/identity_verifications', `${d.base}/api/identity_verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'kyc', method: 'id_and_selfie', customer_guid: guid }),
  });
  if (!created.ok) return false;
  const verification = (await created.json()).guid as string;
  const poll = async (policy: typeof INQUIRY, done: (v: any) => boolean) => {
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const answer = await call('GET /api/identity_verifications/{guid}', `${d.base}/api/identity_verifications/${verification}`);
      if (answer.ok) {
        const v = await answer.json();
        if (done(v)) return v;
      }
      await sleep(delay(policy, attempt));
    }
    return null;
  };
  const withInquiry = await poll(INQUIRY, (v) => !!v.persona_inquiry_id);
  if (!withInquiry) return false;
  const persona = await call('POST /api/persona_sessions', `${d.base}/api/persona_sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona_inquiry_id: withInquiry.persona_inquiry_id, identity_verification_guid: verification }),
  });
  if (!persona.ok) return false;
  const token = (await persona.json()).persona_session_token;
  // The customer in Persona's flow (the sandbox's simulated widget, not this server).
  const widget = async (step: string, body: object) =>
    (await fetch(`${d.upstreamBase}/widget/api/${step}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const opened = await widget('open', { inquiry_id: withInquiry.persona_inquiry_id, session_token: token });
  await widget('start', { widget_session: opened.widget_session });
  await widget('submit', { widget_session: opened.widget_session });
  const decided = await poll(RESULT, (v) => v.state === 'completed');
  return !!decided;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Cybrid calls the replicas made, from their metrics. */
async function upstreamCalls(d: Deployment): Promise<number> {
  let total = 0;
  for (const port of d.ports.metrics) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith('kyc_upstream_calls_total{') && !line.includes('endpoint="token"')) total += Number(line.split(' ').pop());
    }
  }
  return total;
}

test('load: customers over two replicas and Redis', async ({}, info) => {
  test.setTimeout(STEPS.length * (STEP_LIMIT_MS + 60_000));
  const results: object[] = [];
  let largest = 0;
  for (const n of STEPS) {
    const d = await Deployment.up(info.outputPath(`n${n}`), true);
    try {
      const samples: Sample[] = [];
      const deadline = Date.now() + STEP_LIMIT_MS;
      const started = Date.now();
      const done = await Promise.all(Array.from({ length: n }, () => customer(d, samples, deadline).catch(() => false)));
      const seconds = (Date.now() - started) / 1000;
      const completed = done.filter(Boolean).length;
      const routes: Record<string, { calls: number; errors: number; p50_ms: number; p99_ms: number }> = {};
      for (const route of [...new Set(samples.map((s) => s.route))]) {
        const of = samples.filter((s) => s.route === route);
        routes[route] = {
          calls: of.length,
          errors: of.filter((s) => !s.ok).length,
          p50_ms: Math.round(percentile(of.map((s) => s.ms), 50) * 10) / 10,
          p99_ms: Math.round(percentile(of.map((s) => s.ms), 99) * 10) / 10,
        };
      }
      const errors = samples.filter((s) => !s.ok).length + (n - completed);
      const p99 = percentile(samples.map((s) => s.ms), 99);
      const upstream = await upstreamCalls(d);
      const result = {
        customers: n,
        completed,
        errors,
        seconds,
        p99_ms: Math.round(p99 * 10) / 10,
        upstream_calls_per_verification: completed ? Math.round((upstream / completed) * 10) / 10 : null,
        app_calls_per_verification: completed ? Math.round((samples.length / completed) * 10) / 10 : null,
        routes,
      };
      results.push(result);
      console.log(JSON.stringify(result));
      if (errors > 0 || p99 >= 100) break;
      largest = n;
    } finally {
      await d.down();
    }
  }
  const report = { largest_n_with_p99_under_100ms_and_no_error: largest, steps: results };
  const out = process.env.LOAD_REPORT ?? 'target/load.json';
  fs.writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(`largest N with p99 < 100 ms and no error: ${largest} (report in ${out})`);
});
