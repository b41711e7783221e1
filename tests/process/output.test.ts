// The command's output and input under profile and mem-profile, as bare: a test whose child writes
// 50 MiB to stdout and to stderr loses nothing, its descriptors stay blocking (os.get_blocking) with
// the tool's streams being pipes or a terminal, stdin is the tool's, and with --out FILE the command's
// stdout is the tool's own, byte for byte.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { binary, tempDir, writeTree } from '../helpers.ts';

const MiB = 1024 * 1024;
let dir: string;

beforeAll(async () => {
  dir = await tempDir();
  await writeTree(dir, {
    // The child writes 50 MiB of 0x01 to stdout and of 0x02 to stderr with plain blocking write()s:
    // on a non-blocking descriptor a write fails with EAGAIN (BlockingIOError) and the test fails.
    'writer.py': [
      'import os',
      'assert os.get_blocking(1) and os.get_blocking(2), "non-blocking descriptor"',
      'for fd, byte in ((1, b"\\x01"), (2, b"\\x02")):',
      '    block = byte * (1024 * 1024)',
      '    for _ in range(50):',
      '        view = memoryview(block)',
      '        while view:',
      '            view = view[os.write(fd, view):]',
      '',
    ].join('\n'),
    'test_big.py': [
      'import os, subprocess, sys',
      '',
      'def test_child_writes_50_mib():',
      '    assert os.get_blocking(1) and os.get_blocking(2)',
      '    subprocess.run([sys.executable, "writer.py"], check=True)',
      '    assert os.get_blocking(1) and os.get_blocking(2)',
      '',
    ].join('\n'),
  });
});

const pytest = ['python3', '-m', 'pytest', '-s', '-q', '-p', 'no:cacheprovider', 'test_big.py'];

interface Counted {
  code: number | null;
  /** Bytes 0x01 and 0x02 seen on the tool's stdout and on its stderr. */
  stdout: [number, number];
  stderr: [number, number];
  /** The tool's stdout without the 0x01/0x02 bytes (the document, where it went there). */
  rest: string;
}

/** Runs `argv` with pipes for stdout and stderr, counting the marker bytes without keeping them. */
function countOutput(argv: string[], options: { input?: string } = {}): Promise<Counted> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(options.input ?? '');
    const counts = { stdout: [0, 0] as [number, number], stderr: [0, 0] as [number, number] };
    const rest: Buffer[] = [];
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        let start = 0;
        for (let i = 0; i < chunk.length; i++) {
          const byte = chunk[i]!;
          if (byte !== 1 && byte !== 2) continue;
          counts[name][byte - 1] = counts[name][byte - 1]! + 1;
          if (name === 'stdout' && i > start) rest.push(chunk.subarray(start, i));
          start = i + 1;
        }
        if (name === 'stdout' && start < chunk.length) rest.push(chunk.subarray(start));
      });
    }
    child.on('close', (code) => resolve({ code, ...counts, rest: Buffer.concat(rest).toString() }));
  });
}

const tool = (name: string, args: string[], command: string[]) => [process.execPath, binary(name), ...args, '--', ...command];

describe.each(['profile', 'mem-profile'])('testpace-%s passes the output of a child writing 50 MiB', (name) => {
  it('to its stderr, complete, with the document alone on stdout', async () => {
    const result = await countOutput(tool(name, [], pytest));
    expect(result.code).toBe(0);
    expect(result.stderr).toEqual([50 * MiB, 50 * MiB]);
    expect(result.stdout).toEqual([0, 0]);
    validateDocument(JSON.parse(result.rest), 'stdout', [name === 'profile' ? 'profile' : 'memory']);
  });

  it('with --out FILE: stdout to its own stdout, complete', async () => {
    const out = path.join(dir, `${name}.json`);
    const result = await countOutput(tool(name, ['--out', out], pytest));
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual([50 * MiB, 0]);
    expect(result.stderr).toEqual([0, 50 * MiB]);
    validateDocument(JSON.parse(await readFile(out, 'utf8')), out, [name === 'profile' ? 'profile' : 'memory']);
  });

  if (name === 'profile') {
    it('in every one of three runs', async () => {
      const result = await countOutput(tool(name, ['--runs', '3'], pytest));
      expect(result.code).toBe(0);
      expect(result.stderr).toEqual([150 * MiB, 150 * MiB]);
    });
  }

  it('through a terminal (script -qec), its descriptors blocking', async () => {
    const inner = tool(name, [], pytest).map((word) => `'${word}'`).join(' ');
    const result = await countOutput(['script', '-qec', inner, '/dev/null']);
    expect(result.code).toBe(0); // the test asserts os.get_blocking on fds 1 and 2 inside
    expect(result.stdout[0] + result.stderr[0]).toBe(50 * MiB);
    expect(result.stdout[1] + result.stderr[1]).toBe(50 * MiB);
  });
});

describe.each(['profile', 'mem-profile'])("testpace-%s leaves the command's world as bare", (name) => {
  const runner = name === 'profile' ? ['--runner', 'pytest'] : [];

  it('with --out FILE, hands the command the tool’s stdout: the same bytes as bare', async () => {
    const command = ['python3', '-c', 'import sys; sys.stdout.write("line one\\nno newline at the end"); sys.stderr.write("to stderr\\n")'];
    const bare = await countOutput(command);
    const under = await countOutput([process.execPath, binary(name), ...runner, '-o', path.join(dir, 'bytes.json'), '--', ...command]);
    expect(under.rest).toBe(bare.rest);
    expect(bare.rest).toBe('line one\nno newline at the end');
  });

  it('reads its stdin as bare, and keeps a terminal a terminal', async () => {
    const check = 'import os, sys; print(sys.stdin.read().strip(), os.isatty(0), os.isatty(1), os.isatty(2))';
    const inner = [process.execPath, binary(name), ...runner, '-o', path.join(dir, 'tty.json'), '--', 'python3', '-c', check].map((word) => `'${word}'`).join(' ');
    const piped = await new Promise<string>((resolve) => {
      const child = spawn('sh', ['-c', `echo piped | ${inner}`], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', () => resolve(out));
    });
    expect(piped.trim()).toBe('piped False False False');
    const terminal = await new Promise<string>((resolve) => {
      // In the terminal script makes, stdin is that terminal too: EOF (^D) ends the read.
      const child = spawn('script', ['-qec', `${inner}`, '/dev/null'], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      setTimeout(() => child.stdin.write('typed\n\u0004'), 1500);
      child.on('close', () => resolve(out));
    });
    expect(terminal).toMatch(/typed True True True/);
  });
});
