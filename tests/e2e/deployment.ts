// A deployment as an integrator runs it in production, on this machine: two kyc-server
// replicas on one Redis behind a round-robin proxy, in front of one Cybrid (a sandbox server
// playing it, whose simulated Persona widget runs the inquiry). Started per test by
// replicas.spec.ts and by the load benchmark (tests/bench/load.spec.ts); loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SERVER = process.env.KYC_SERVER_BIN ?? 'target/debug/kyc-server';
const REDIS = process.env.REDIS_SERVER ?? 'redis-server';
const LAUNCH_SECRET = 'integrator launch secret for the replica tests, 32+ bytes';
const CLIENT_ID = 'replica-bank-client';
const CLIENT_SECRET = 'replica-bank-client-secret';

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it holds (each try is a request or a connection). */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

/** Whether a Redis answers PING on `port`. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
  });
}

/** Whether `url` answers 200. */
export async function ok(url: string): Promise<boolean> {
  return (await fetch(url)).ok;
}

/** A child process that logs to a file of the test's output folder. */
export function start(program: string, args: string[], env: Record<string, string>, log: string): ChildProcess {
  const out = fs.openSync(log, 'a');
  return spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
}

/** Resolves with the exit code once `child` has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The Redis, the upstream Cybrid, two replicas and the proxy of one test. */
export class Deployment {
  redis!: ChildProcess;
  upstream!: ChildProcess;
  replicas: (ChildProcess | null)[] = [null, null];
  proxy!: http.Server;
  ports = { redis: 0, upstream: 0, replicas: [0, 0], proxy: 0, metrics: [0, 0] };
  /** Which replica answered each request the proxy passed on, by method and path. */
  served: { replica: number; method: string; path: string }[] = [];
  private next = 0;
  private dir: string;

  constructor(private readonly outputDir: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replicas-'));
  }

  /** Where customers reach the deployment (the proxy). */
  get base(): string {
    return `http://127.0.0.1:${this.ports.proxy}`;
  }

  /** The upstream Cybrid (and its simulated Persona). */
  get upstreamBase(): string {
    return `http://127.0.0.1:${this.ports.upstream}`;
  }

  private log(name: string): string {
    fs.mkdirSync(this.outputDir, { recursive: true });
    return path.join(this.outputDir, `${name}.log`);
  }

  /** Starts everything; `metrics` gives each replica a metrics listener (the load bench). */
  static async up(outputDir: string, metrics = false): Promise<Deployment> {
    const d = new Deployment(outputDir);
    d.ports = {
      redis: await freePort(),
      upstream: await freePort(),
      replicas: [await freePort(), await freePort()],
      proxy: 0,
      metrics: metrics ? [await freePort(), await freePort()] : [0, 0],
    };
    // The proxy first, on a port the system gives it while it listens: a port only probed
    // free could be taken (by any connection's own end) before a later listen.
    await d.startProxy();
    await d.startRedis();
    d.upstream = start(
      SERVER,
      ['--addr', `127.0.0.1:${d.ports.upstream}`, '--dist', 'dist', '--inquiry-delay-ms', '300', '--decision-delay-ms', '400', '--review-delay-ms', '1500'],
      { SANDBOX_BANK_CLIENT_ID: CLIENT_ID, SANDBOX_BANK_CLIENT_SECRET: CLIENT_SECRET, SANDBOX_APP_ORIGINS: d.base },
      d.log('upstream'),
    );
    await until('the upstream sandbox', () => ok(`http://127.0.0.1:${d.ports.upstream}/healthz`));
    await d.startReplica(0);
    await d.startReplica(1);
    return d;
  }

  async startRedis(): Promise<void> {
    // Kept on disk (append-only file), so that a Redis stopped and started again still has
    // the sessions: what a production Redis does.
    this.redis = start(
      REDIS,
      ['--port', String(this.ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', this.dir],
      {},
      this.log('redis'),
    );
    await until('redis', () => pong(this.ports.redis));
  }

  async stopRedis(): Promise<void> {
    this.redis.kill('SIGTERM');
    await exited(this.redis);
  }

  async startReplica(i: number): Promise<void> {
    this.replicas[i] = start(
      SERVER,
      ['--addr', `127.0.0.1:${this.ports.replicas[i]}`, '--dist', 'dist'],
      {
        CYBRID_CLIENT_ID: CLIENT_ID,
        CYBRID_CLIENT_SECRET: CLIENT_SECRET,
        CYBRID_BANK_URL: `http://127.0.0.1:${this.ports.upstream}`,
        CYBRID_ID_URL: `http://127.0.0.1:${this.ports.upstream}`,
        CYBRID_ENVIRONMENT: 'sandbox',
        KYC_PERSONA_HOST: `localhost:${this.ports.upstream}`,
        KYC_LAUNCH_SECRET: LAUNCH_SECRET,
        // Test pages send customers from anywhere: said explicitly, as Cybrid mode needs.
        KYC_LAUNCH_ORIGINS: '*',
        KYC_PUBLIC_URL: this.base,
        KYC_REDIS_URL: `redis://127.0.0.1:${this.ports.redis}/`,
        KYC_DRAIN_SECS: '10',
        ...(this.ports.metrics[i] ? { KYC_METRICS_ADDR: `127.0.0.1:${this.ports.metrics[i]}` } : {}),
      },
      this.log(`replica-${i}`),
    );
    await until(`replica ${i}`, () => ok(`http://127.0.0.1:${this.ports.replicas[i]}/healthz`));
  }

  /** SIGTERM to a replica; resolves with its exit code. */
  async stopReplica(i: number): Promise<number | null> {
    const child = this.replicas[i]!;
    child.kill('SIGTERM');
    const code = await exited(child);
    this.replicas[i] = null;
    return code;
  }

  /**
   * Round robin: each request goes to the next replica; one that refuses the connection (it
   * is stopped) is skipped, as a load balancer's health check would. `POST /handoff` always
   * goes to replica 0 and `/handoff/{code}` to replica 1, so a code is always minted through
   * one and redeemed through the other.
   */
  async startProxy(): Promise<void> {
    this.proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        const pinned = req.method === 'POST' && url === '/handoff' ? 0 : /^\/handoff\/[A-Za-z0-9_-]{20,}/.test(url) ? 1 : null;
        const first = pinned ?? this.next++ % 2;
        const attempt = (replica: number, triesLeft: number) => {
          const upstream = http.request(
            { host: '127.0.0.1', port: this.ports.replicas[replica], method: req.method, path: url, headers: req.headers },
            (answer) => {
              this.served.push({ replica, method: req.method ?? '', path: url.split('?')[0] });
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          upstream.on('error', () => {
            if (triesLeft > 0 && pinned === null) attempt(1 - replica, triesLeft - 1);
            else if (!res.headersSent) {
              res.writeHead(502);
              res.end();
            }
          });
          upstream.end(body);
        };
        attempt(first, 1);
      });
    });
    await new Promise<void>((resolve) => this.proxy.listen(0, '127.0.0.1', resolve));
    this.ports.proxy = (this.proxy.address() as net.AddressInfo).port;
  }

  /** A launch token for `customer`, signed as the integrator's backend does (HS256). */
  launchToken(customer: string): string {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ customer_guid: customer, exp: Math.floor(Date.now() / 1000) + 300 })}`;
    const signature = crypto.createHmac('sha256', LAUNCH_SECRET).update(signed).digest('base64url');
    return `${signed}.${signature}`;
  }

  /** The integrator backend's signed call that ends every session of `customer`. */
  async endSessions(customer: string): Promise<number> {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { customer_guid: customer, scope: 'end_sessions', exp: Math.floor(Date.now() / 1000) + 300 };
    const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const signature = crypto.createHmac('sha256', LAUNCH_SECRET).update(signed).digest('base64url');
    const answer = await fetch(`${this.base}/integrator/customers/${customer}/end-sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${signed}.${signature}` },
    });
    return answer.status;
  }

  private async bankToken(): Promise<string> {
    const answer = await fetch(`http://127.0.0.1:${this.ports.upstream}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
    });
    return (await answer.json()).access_token;
  }

  /** A new customer at the bank, as the integrator's backend makes one. */
  async customer(): Promise<string> {
    const answer = await fetch(`http://127.0.0.1:${this.ports.upstream}/api/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.bankToken()}` },
      body: JSON.stringify({ type: 'individual' }),
    });
    return (await answer.json()).guid;
  }

  /** The customer's verifications as Cybrid has them. */
  async verifications(customer: string): Promise<{ guid: string; state: string }[]> {
    const answer = await fetch(
      `http://127.0.0.1:${this.ports.upstream}/api/identity_verifications?customer_guid=${customer}&per_page=50`,
      { headers: { authorization: `Bearer ${await this.bankToken()}` } },
    );
    return (await answer.json()).objects;
  }

  /** Which replicas answered requests whose path starts with `prefix`. */
  replicasFor(prefix: string, method?: string): Set<number> {
    return new Set(this.served.filter((s) => s.path.startsWith(prefix) && (!method || s.method === method)).map((s) => s.replica));
  }

  async down(): Promise<void> {
    await new Promise<void>((resolve) => this.proxy?.close(() => resolve()));
    this.proxy?.closeAllConnections();
    for (const child of [...this.replicas, this.upstream, this.redis]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

