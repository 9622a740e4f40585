// Runs the portal's browser tests against a real server (CTest calls this;
// see docs/testing-browser.md):
//   1. a temp data dir, the repo's content/ indexed with the built kpo-index;
//   2. one account per role (support/accounts.mjs) created with kpo-admin;
//   3. the built kpo-server on a free port (--port 0) with --static <repo>/static;
//   4. waits for /api/health, then `node --test` over the given test files
//      (default: every tests/browser/*.test.mjs);
//   5. always stops the server and removes the data dir.
//
//   node run.mjs --bin BUILD_DIR --source REPO --out OUT_DIR [--serve] [file.test.mjs ...]
//
// BUILD_DIR holds backend/kpo-server, backend/kpo-admin and indexer/kpo-index.
// OUT_DIR receives screenshots/ and server-<test>.log (server-all.log when
// several files run). --serve starts everything
// and waits for Ctrl-C instead of running tests (to look around by hand).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ACCOUNTS, PASSWORD } from './support/accounts.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { files: [], serve: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--serve') args.serve = true;
    else if (['--bin', '--source', '--out'].includes(a)) args[a.slice(2)] = argv[++i];
    else if (a.startsWith('--')) throw new Error(`onbekende optie ${a}`);
    else args.files.push(path.resolve(a));
  }
  for (const need of ['bin', 'source', 'out']) {
    if (!args[need]) throw new Error(`--${need} ontbreekt`);
  }
  return args;
}

function run(cmd, argv, input) {
  const r = spawnSync(cmd, argv, { input, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${path.basename(cmd)} ${argv.join(' ')} faalde (${r.status}):\n${r.stderr}`);
  }
  return r.stdout;
}

// Starts kpo-server on port 0 and reads the port it bound from its first
// line ("KPO draait op http://127.0.0.1:PORT/"): no race for a free port.
function startServer(bin, dataDir, staticDir, logPath) {
  const log = fs.openSync(logPath, 'w');
  const server = spawn(
    bin,
    // --second-factor optional (issue 13): the role tests sign redactie and
    // admin in with a password alone; account.test.mjs enrols a member, and
    // tests/integration/second_factor_test.cc covers the required case.
    ['--data', dataDir, '--port', '0', '--address', '127.0.0.1', '--static', staticDir,
      '--second-factor', 'optional'],
    { stdio: ['ignore', 'pipe', log] },
  );
  const base = new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      fs.writeSync(log, chunk);
      seen += chunk.toString();
      const m = seen.match(/http:\/\/([\d.]+):(\d+)\//);
      if (m) resolve(`http://${m[1]}:${m[2]}`);
    });
    server.on('exit', (code) => reject(new Error(`kpo-server stopte (${code}); zie ${logPath}`)));
    // unref: a pending timer would keep node alive after the tests.
    setTimeout(() => reject(new Error('kpo-server meldde binnen 30 s geen adres')), 30000).unref();
  });
  return { server, base };
}

async function waitForHealth(base) {
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base}/api/health antwoordt niet`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopServer(server) {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.kill('SIGKILL'), 15000);
    server.on('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
    throw new Error('tests/browser/node_modules ontbreekt: draai `npm ci` in tests/browser ' +
                    '(bash scripts/test.sh doet dat zelf)');
  }
  const bin = (rel) => path.join(args.bin, rel);
  const out = path.resolve(args.out);
  fs.mkdirSync(path.join(out, 'screenshots'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpo-browser-'));
  const dataDir = path.join(tmp, 'data');
  let server = null;
  let status = 1;
  const stop = async () => {
    if (server) await stopServer(server);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => stop().then(() => process.exit(130)));
  }
  const t0 = Date.now();
  const phase = (what) => console.error(`run.mjs: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  try {
    run(bin('indexer/kpo-index'), ['--content', path.join(args.source, 'content'), '--data', dataDir]);
    for (const a of Object.values(ACCOUNTS)) {
      const argv = ['--data', dataDir, 'user', 'add', a.email, '--name', a.name, '--role', a.role];
      for (const g of a.groups) argv.push('--group', g);
      for (const w of a.werkplaatsen) argv.push('--werkplaats', w);
      run(bin('backend/kpo-admin'), argv, `${PASSWORD}\n`);
    }
    phase('content geïndexeerd, accounts aangemaakt');
    const label = args.files.length === 1 ? path.basename(args.files[0], '.test.mjs') : 'all';
    const started = startServer(bin('backend/kpo-server'), dataDir,
                                path.join(args.source, 'static'), path.join(out, `server-${label}.log`));
    server = started.server;
    const base = await started.base;
    await waitForHealth(base);
    phase(`server draait op ${base}`);

    const env = {
      ...process.env,
      KPO_BASE_URL: base,
      KPO_SOURCE_DIR: path.resolve(args.source),
      KPO_SCREENSHOT_DIR: path.join(out, 'screenshots'),
    };
    if (args.serve) {
      console.log(`Portal: ${base}/  (accounts: support/accounts.mjs, wachtwoord ${PASSWORD})`);
      console.log('Ctrl-C stopt de server.');
      await new Promise(() => {});
    }
    const files = args.files.length > 0
      ? args.files
      : fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()
        .map((f) => path.join(here, f));
    const tests = spawn(process.execPath, ['--test', ...files], { stdio: 'inherit', env, cwd: here });
    status = await new Promise((resolve) => tests.on('exit', (code) => resolve(code ?? 1)));
    phase('tests klaar');
  } finally {
    await stop();
    phase('server gestopt');
  }
  process.exitCode = status;
}

main().catch((e) => {
  console.error(`run.mjs: ${e.message}`);
  process.exitCode = 1;
});
