// mem-profile on real processes that allocate known amounts: peaks, children, short-lived processes,
// leak verdicts, failures and interruptions. Bounds are physical: touched memory must be resident.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { MemoryDocument } from '../../tools/mem-profile/document.ts';
import { cli } from '../../tools/mem-profile/cli.ts';
import { memoryIo, tempDir, writeTree } from '../helpers.ts';
import { MiB, memProfile, memProfileInterrupted } from './run-helpers.ts';

let dir: string;
let python: string;
const node = process.execPath;

beforeAll(async () => {
  dir = await tempDir('testpace-mem-');
  // The interpreter itself, not a version manager's shim (pyenv's is a shell script that runs for ~100 ms).
  python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  await writeTree(dir, {
    // Buffer.alloc with a fill value writes every page, so all of it is resident.
    'hold.js': `const b = Buffer.alloc(Number(process.argv[2]) * 1024 * 1024, 1);
setTimeout(() => process.stdout.write(String(b.length)), Number(process.argv[3] ?? 600));`,
    'hold.py': `import sys, time
block = bytearray(b"\\x01") * (int(sys.argv[1]) * 1024 * 1024)
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 0.6)
print(len(block))`,
    // A parent that starts two children at once, each holding 80 MiB, and waits for both.
    'parent.py': `import subprocess, sys
children = [subprocess.Popen([sys.executable, "hold.py", "80", "0.8"]) for _ in range(2)]
sys.exit(max(child.wait() for child in children))`,
    'grow.js': `const held = [];
const timer = setInterval(() => held.push(Buffer.alloc(4 * 1024 * 1024, 1)), 50);
setTimeout(() => { clearInterval(timer); process.stdout.write(String(held.length)); }, Number(process.argv[2]));`,
    'flat.js': `const held = Buffer.alloc(40 * 1024 * 1024, 1);
let spin = 0;
const timer = setInterval(() => { spin += held[spin % held.length]; }, 50);
setTimeout(() => { clearInterval(timer); process.stdout.write(String(spin)); }, Number(process.argv[2]));`,
  });
});

describe('testpace-mem-profile on real processes', () => {
  it('reports the peak of a Node script that touches 200 MiB', async () => {
    const { code, document } = await memProfile([], [node, 'hold.js', '200'], { cwd: dir });
    expect(code).toBe(0);
    expect(document.status).toBe('passed');
    expect(document.sampler).toBe('procfs');
    expect(document.peak.sampledRssBytes).toBeGreaterThanOrEqual(200 * MiB);
    expect(document.peak.sampledRssBytes).toBeLessThan(200 * MiB + 150 * MiB);
    expect(document.peak.largestProcessHwmBytes).toBeGreaterThanOrEqual(200 * MiB);
  });

  it('reports the peak of a Python script that touches 200 MiB', async () => {
    const { code, document } = await memProfile([], ['python3', 'hold.py', '200'], { cwd: dir });
    expect(code).toBe(0);
    expect(document.peak.sampledRssBytes).toBeGreaterThanOrEqual(200 * MiB);
    expect(document.peak.sampledRssBytes).toBeLessThan(200 * MiB + 100 * MiB);
    expect(document.processes.some((p) => p.command.includes('hold.py') && p.peakRssBytes >= 200 * MiB)).toBe(true);
  });

  it("counts the memory of a parent's children", async () => {
    const { code, document } = await memProfile([], ['python3', 'parent.py'], { cwd: dir });
    expect(code).toBe(0);
    const children = document.processes.filter((p) => p.command.includes('hold.py 80'));
    expect(children).toHaveLength(2);
    for (const child of children) expect(child.peakRssBytes).toBeGreaterThanOrEqual(80 * MiB);
    const parent = document.processes.find((p) => p.command.includes('parent.py'))!;
    expect(children.every((child) => child.ppid === parent.pid)).toBe(true);
    // Both children hold their 80 MiB at once for 0.8 s: several samples see the sum.
    expect(document.peak.sampledRssBytes).toBeGreaterThanOrEqual(160 * MiB);
  });

  it('sees a child that lives shorter than one sampling interval', async () => {
    // The child allocates 60 MiB and is gone within ~120 ms (more on a busy machine); samples are a second apart.
    const { document } = await memProfile(['--interval', '1000'], ['sh', '-c', `sleep 0.3; ${python} hold.py 60 0.08; sleep 0.3`], { cwd: dir });
    const child = document.processes.find((p) => p.command.includes('hold.py 60') && !p.command.startsWith('sh '));
    expect(child).toBeDefined();
    expect(child!.lastSeenMs - child!.firstSeenMs).toBeLessThan(1000);
    expect(child!.hwmBytes).toBeGreaterThanOrEqual(60 * MiB);
    expect(document.peak.largestProcessHwmBytes).toBeGreaterThanOrEqual(60 * MiB);
  });

  it('suspects a steadily growing process of leaking and clears a flat one', async () => {
    const [growing, flat] = [
      await memProfile(['--warmup', '0.5s', '--leak-min-duration', '2s'], [node, 'grow.js', '3000'], { cwd: dir }),
      await memProfile(['--warmup', '0.5s', '--leak-min-duration', '2s'], [node, 'flat.js', '3000'], { cwd: dir }),
    ];
    expect(growing.document.leak.verdict).toBe('suspected-leak');
    expect(growing.document.leak.growthPct).toBeGreaterThanOrEqual(50);
    expect(growing.document.leak.r2).toBeGreaterThanOrEqual(0.8);
    expect(growing.document.leak.slopeMbPerMin).toBeGreaterThan(0);
    expect(growing.document.processes.find((p) => p.command.includes('grow.js'))?.leak?.verdict).toBe('suspected-leak');
    expect(growing.stderr).toMatch(/suspected leak/);
    expect(flat.document.leak.verdict).toBe('no-leak');
    expect(flat.document.leak.growthPct!).toBeLessThan(50);
    expect(flat.document.processes.find((p) => p.command.includes('flat.js'))?.leak?.verdict).toBe('no-leak');
    for (const { document } of [growing, flat]) expect(document.leak.basis).toMatch(/least-squares fit over \d+ samples/);
  });

  it('samples through ps as well (the portable sampler, here on Linux)', async () => {
    const { code, document } = await memProfile(['--sampler', 'ps'], [node, 'hold.js', '120', '800'], { cwd: dir });
    expect(code).toBe(0);
    expect(document.sampler).toBe('ps');
    expect(document.peak.sampledRssBytes).toBeGreaterThanOrEqual(120 * MiB);
    expect(document.peak.largestProcessHwmBytes).toBeNull();
    expect(document.processes.find((p) => p.command.includes('hold.js'))?.hwmBytes).toBeNull();
  });

  it('runs in-process through run(), the document on the injected stdout', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await cli(['-q', '--', 'sh', '-c', 'exit 0'], io)).toBe(0);
    const document = validateDocument<MemoryDocument>(JSON.parse(io.out()), 'stdout', ['memory']);
    expect(document).toMatchObject({ status: 'passed', exitCode: 0, signal: null, runner: 'command', command: ['sh', '-c', 'exit 0'] });
    expect(io.err()).toMatch(/^memory: peak/m);
  });

  it('exits with the failing command’s code and still writes a valid document', async () => {
    const { code, document, stderr } = await memProfile([], ['sh', '-c', 'exit 3'], { cwd: dir });
    expect(code).toBe(3);
    expect(document.status).toBe('failed');
    expect(document.exitCode).toBe(3);
    expect(stderr).toMatch(/memory: peak/);
  });

  it('forwards SIGINT to the command and marks the partial document interrupted', async () => {
    const result = await memProfileInterrupted(['python3', 'hold.py', '20', '20'], 'SIGINT', 1500, dir);
    expect(result.code).toBe(130);
    const document = validateDocument<MemoryDocument>(JSON.parse(result.stdout), 'stdout', ['memory']);
    expect(document.status).toBe('interrupted');
    expect(document.wallMs).toBeLessThan(15_000);
    expect(document.timeline.samplesTaken).toBeGreaterThan(0);
  });

  it('writes the document atomically to --out and keeps stdout empty', async () => {
    const out = path.join(dir, 'out', 'memory.json');
    const { code, stdout } = await (await import('../helpers.ts')).runBinary('mem-profile', ['-q', '--out', out, '--', 'true'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const { readFile } = await import('node:fs/promises');
    validateDocument(JSON.parse(await readFile(out, 'utf8')), out, ['memory']);
  });

  it('hands the command its arguments, environment and directory unchanged', async () => {
    // Newlines, '=' and non-ASCII must come through as they are.
    const odd = 'a=b\nc d\t"é"\\';
    const script = 'import json, os, sys; print(json.dumps([sys.argv[1:], os.environ["TP_ODD"], os.environ.get("TP_EMPTY"), os.getcwd()]))';
    const { runBinary } = await import('../helpers.ts');
    const { code, stderr } = await runBinary('mem-profile', ['--', python, '-c', script, odd, '', '--'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', TP_ODD: odd, TP_EMPTY: '' },
    });
    expect(code).toBe(0);
    // The command's output reaches the tool's stderr, ahead of the summary.
    const printed = JSON.parse(stderr.split('\n').find((line) => line.startsWith('['))!) as unknown;
    const { realpath } = await import('node:fs/promises');
    expect(printed).toEqual([[odd, '', '--'], odd, '', await realpath(dir)]);
  });

  it('survives a pytest test that runs 300 short processes (a descriptor was closed twice: EBADF)', async () => {
    await writeTree(dir, { 'test_many.py': 'import subprocess\n\ndef test_many():\n    for _ in range(300):\n        subprocess.run(["true"])\n' });
    const { code, document } = await memProfile([], ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'test_many.py'], { cwd: dir });
    expect(code).toBe(0);
    expect(document.status).toBe('passed');
    expect(document.processes.filter((p) => p.command === 'true').length).toBeGreaterThan(10);
  });

  it("leaves testpace's own git processes out of the process table, and keeps the command's", async () => {
    const repo = await tempDir('testpace-mem-git-');
    const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], { cwd: repo, encoding: 'utf8' });
    run('init', '-q', '-b', 'main');
    await writeFile(path.join(repo, 'a.txt'), 'a\n');
    run('add', '-A');
    run('commit', '-q', '-m', 'base');
    const head = run('rev-parse', 'HEAD').trim();
    // The command's own git process (alive for a second) is listed: the table does show git when the run starts one.
    const own = await memProfile([], ['sh', '-c', 'sleep 1 | git cat-file --batch'], { cwd: repo });
    expect(own.document.processes.filter((p) => /^git( |$)/.test(p.command)).map((p) => p.command)).toEqual(['git cat-file --batch']);
    // testpace reads the repository's state with git while the command runs; none of its processes is the run's.
    const { document } = await memProfile([], ['sleep', '1.5'], { cwd: repo });
    expect(document.environment.git).toMatchObject({ commit: head, branch: 'main' });
    expect(document.processes.map((p) => p.command)).toEqual(['sleep 1.5']);
  });

  it('says in one line when the command does not exist', async () => {
    await writeFile(path.join(dir, 'marker'), '');
    const { code, stderr, stdout } = await (await import('../helpers.ts')).runBinary('mem-profile', ['--', 'no-such-command-xyz'], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')[0]).toMatch(/^testpace-mem-profile: .*no-such-command-xyz/);
  });

});
