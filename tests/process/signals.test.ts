// Stopping a run under profile and mem-profile: SIGINT, SIGTERM (a command that ignores it, with a
// setsid grandchild), SIGHUP and --timeout leave no process behind, a valid interrupted document, and
// the tool exits within --kill-after plus a second. A closed pipe on the tool's own streams does not
// end the run. Bad --timeout, --kill-after and --out are refused before anything runs.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { binary, processRunning, tempDir, waitUntil, writeTree } from '../helpers.ts';

/**
 * A command whose processes each write their pid into pids/ once running: a shell that ignores TERM
 * (and INT, as background jobs of a script do), two children in its group, and a grandchild in a
 * session of its own that ignores TERM too.
 */
const STUBBORN = [
  "trap '' TERM",
  'mkdir -p pids',
  'echo $$ > pids/shell',
  "sh -c 'trap \"\" INT; echo $$ > pids/member-1; exec sleep 60' &",
  "sh -c 'trap \"\" INT; echo $$ > pids/member-2; exec sleep 60' &",
  `setsid sh -c 'trap "" TERM INT; echo $$ > pids/escaped; exec sleep 60' &`,
  'wait',
  '',
].join('\n');

interface Stopped {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From the signal to the tool's exit. */
  afterMs: number;
  pids: number[];
  dir: string;
}

const argvFor = (tool: string, args: string[]) => [binary(tool), ...(tool === 'profile' ? ['--junit', 'report.xml'] : []), '-q', ...args, '--', 'sh', 'stubborn.sh'];

/** Runs a tool on the stubborn tree, sends `signal` once all its processes run, and waits for the tool. */
async function stopTool(tool: string, signal: NodeJS.Signals | undefined, args: string[] = []): Promise<Stopped> {
  const dir = await tempDir();
  await writeTree(dir, { 'stubborn.sh': STUBBORN });
  const child = spawn(process.execPath, argvFor(tool, args), { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const pidsDir = path.join(dir, 'pids');
  const ready = () => existsSync(pidsDir) && readdirSync(pidsDir).length === 4 && readdirSync(pidsDir).every((f) => readFileSync(path.join(pidsDir, f), 'utf8').trim() !== '');
  await waitUntil(ready, 30_000);
  // Long enough for the tool to look at the tree (every 100 ms) while the grandchild's parent lives.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const pids = readdirSync(pidsDir).map((f) => Number(readFileSync(path.join(pidsDir, f), 'utf8')));
  const sent = Date.now();
  if (signal) child.kill(signal);
  const code = await closed;
  return { code, stdout, stderr, afterMs: Date.now() - sent, pids, dir };
}

const kind = (tool: string) => (tool === 'profile' ? 'profile' : 'memory');

describe.each(['profile', 'mem-profile'])('testpace-%s stopped', (tool) => {
  it('by SIGTERM, with a command that ignores it: SIGKILL after --kill-after, nothing left, an interrupted document', async () => {
    const result = await stopTool(tool, 'SIGTERM', ['--kill-after', '1s']);
    expect(result.code).toBe(143);
    expect(result.afterMs).toBeGreaterThanOrEqual(990);
    expect(result.afterMs).toBeLessThan(1000 + 1000);
    const document = validateDocument<{ status: string }>(JSON.parse(result.stdout), 'stdout', [kind(tool)]);
    expect(document.status).toBe('interrupted');
    for (const pid of result.pids) expect(processRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('by SIGINT: processes that ignore it are killed after the grace period too, none left with ppid 1', async () => {
    const result = await stopTool(tool, 'SIGINT', ['--kill-after', '1s']);
    expect(result.code).toBe(130);
    expect(result.afterMs).toBeLessThan(1000 + 1000);
    expect(validateDocument<{ status: string }>(JSON.parse(result.stdout), 'stdout', [kind(tool)]).status).toBe('interrupted');
    for (const pid of result.pids) expect(processRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('by SIGHUP (the terminal closed): forwarded like the others', async () => {
    const result = await stopTool(tool, 'SIGHUP', ['--kill-after', '1s']);
    expect(result.code).toBe(129);
    expect(validateDocument<{ status: string }>(JSON.parse(result.stdout), 'stdout', [kind(tool)]).status).toBe('interrupted');
    for (const pid of result.pids) expect(processRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('goes on when its own stdout and stderr close (| head -1), and still writes the document', async () => {
    const dir = await tempDir();
    const tmp = path.join(dir, 'tmp');
    await mkdir(tmp);
    // The first line is the tool's (profile, -q, as in issue 13) or the command's, which then keeps
    // quiet (a command writing to the closed pipe would fail as it does bare): the tool's own lines
    // meet the closed pipe.
    const command = ['python3', '-c', 'import sys, time; sys.stderr.write("first line\\n"); sys.stderr.flush(); time.sleep(1.5)'];
    const args = tool === 'profile' ? ['--runner', 'pytest', '--runs', '3', '-q'] : [];
    const child = spawn(process.execPath, [binary(tool), ...args, '-o', 'out.json', '--', ...command], { cwd: dir, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Like `2>&1 | head -1`: the first line read, then the reading end closed.
    let first = '';
    const onData = (chunk: Buffer) => {
      first += chunk.toString();
      if (!first.includes('\n')) return;
      child.stdout.destroy();
      child.stderr.destroy();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(first.split('\n')[0]).toMatch(/first line|run 1 of 3/);
    expect(code).toBe(0);
    const document = validateDocument<{ status: string; runs?: unknown[] }>(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')), 'out.json', [kind(tool)]);
    expect(document.status).toBe('passed');
    if (tool === 'profile') expect(document.runs).toHaveLength(3);
    expect(readdirSync(tmp)).toEqual([]); // its temp directory removed
  });

});

describe('testpace-profile --timeout', () => {
  it('stops the run (SIGTERM, then SIGKILL after --kill-after), leaves nothing, exits 1 with an interrupted document', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'stubborn.sh': STUBBORN });
    const started = Date.now();
    const child = spawn(process.execPath, argvFor('profile', ['--timeout', '1.5s', '--kill-after', '1s']), { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    const document = validateDocument<{ status: string; warnings: string[] }>(JSON.parse(stdout), 'stdout', ['profile']);
    expect(document.status).toBe('interrupted');
    expect(document.warnings.join('\n')).toContain('--timeout');
    const pids = readdirSync(path.join(dir, 'pids')).map((f) => Number(readFileSync(path.join(dir, 'pids', f), 'utf8')));
    expect(pids).toHaveLength(4);
    for (const pid of pids) expect(processRunning(pid), `pid ${pid}`).toBe(false);
  });
});

/** Runs a tool that is expected to refuse its command line; the command would leave a marker. */
function refuse(tool: string, args: string[], options: { cwd: string; asUser?: boolean }): Promise<{ code: number | null; stderr: string; ran: boolean }> {
  return new Promise((resolve) => {
    const argv = [process.execPath, binary(tool), ...(tool === 'profile' ? ['--runner', 'pytest'] : []), ...args, '--', 'touch', 'ran'];
    // As root, permission bits do not stop a write: the read-only case runs as nobody.
    const command = options.asUser && process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
    const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr, ran: existsSync(path.join(options.cwd, 'ran')) }));
  });
}

describe.each(['profile', 'mem-profile'])('testpace-%s refuses, before running anything', (tool) => {
  it('--out naming a directory', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'results'));
    const result = await refuse(tool, ['--out', 'results'], { cwd: dir });
    expect(result).toEqual({ code: 2, stderr: `testpace-${tool}: results: is a directory\n  expected the name of the file to write the document to\n`, ran: false });
  });

  it('--out in a directory it cannot write to', async () => {
    // Outside the tests' own temp directory, which only root may enter, so that nobody can.
    const dir = await mkdtemp('/tmp/testpace-locked-');
    try {
      await mkdir(path.join(dir, 'locked'));
      chmodSync(dir, 0o777);
      chmodSync(path.join(dir, 'locked'), 0o555);
      const result = await refuse(tool, ['--out', 'locked/doc.json'], { cwd: dir, asUser: true });
      expect(result).toEqual({ code: 2, stderr: `testpace-${tool}: locked/doc.json: cannot write: EACCES\n`, ran: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--kill-after that is not a duration', async () => {
    const result = await refuse(tool, ['--kill-after', 'soon'], { cwd: await tempDir() });
    expect(result).toEqual({ code: 2, stderr: `testpace-${tool}: --kill-after: expected a duration such as 60s, 1.5m or 250ms, received "soon"\n`, ran: false });
  });
});

describe('testpace-profile --timeout 0', () => {
  it('is refused in one line', async () => {
    const dir = await tempDir();
    const result = await refuse('profile', ['--timeout', '0'], { cwd: dir });
    expect(result).toEqual({ code: 2, stderr: 'testpace-profile: --timeout: expected a duration above zero, received "0"\n', ran: false });
  });
});
