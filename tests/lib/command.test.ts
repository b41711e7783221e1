// lib/command.ts on real processes: the command's tree ends with it (its group, and descendants that
// left the group through setsid), a stopped command gets SIGKILL after the grace period, and the
// tool's descriptors are neither leaked nor closed twice.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Descendants, parseStat, startCommand } from '../../lib/command.ts';
import { processRunning, tempDir, waitUntil, writeTree } from '../helpers.ts';

const quietly = { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } as const;

/** A script that ignores TERM and starts a grandchild in a session of its own (also ignoring TERM), writing its pid. */
async function ignoringTree(): Promise<{ dir: string; script: string }> {
  const dir = await tempDir();
  await writeTree(dir, {
    'tree.sh': ["trap '' TERM", `setsid sh -c 'trap "" TERM; echo $$ > escaped.pid; exec sleep 60' &`, 'sleep 60 &', 'echo $! > member.pid', 'wait', ''].join('\n'),
  });
  return { dir, script: path.join(dir, 'tree.sh') };
}

const readPid = (dir: string, name: string) => Number(readFileSync(path.join(dir, name), 'utf8'));
const hasPid = (dir: string, name: string) => readdirSync(dir).includes(name) && readFileSync(path.join(dir, name), 'utf8').trim() !== '';

describe('startCommand', () => {
  it('ends a command that ignores SIGTERM with SIGKILL after the grace period, with its group and a setsid grandchild', async () => {
    const { dir, script } = await ignoringTree();
    const command = await startCommand({ argv: ['sh', script], cwd: dir, env: process.env, ...quietly, killAfterMs: 800 });
    await waitUntil(() => hasPid(dir, 'escaped.pid') && hasPid(dir, 'member.pid'), 10_000);
    // The grandchild is seen while its parent lives (the tree is looked at every 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stoppedAt = performance.now();
    command.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processRunning(command.pid)).toBe(true); // TERM ignored: still there within the grace period
    const end = await command.ended;
    expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(790);
    expect(performance.now() - stoppedAt).toBeLessThan(800 + 1000);
    expect(end).toMatchObject({ signal: 'SIGKILL', stoppedBy: 'SIGTERM' });
    for (const name of ['escaped.pid', 'member.pid']) expect(processRunning(readPid(dir, name)), name).toBe(false);
  });

  it('kills at once on a second stop', async () => {
    const { dir, script } = await ignoringTree();
    const command = await startCommand({ argv: ['sh', script], cwd: dir, env: process.env, ...quietly, killAfterMs: 60_000 });
    await waitUntil(() => hasPid(dir, 'escaped.pid'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    command.stop('SIGTERM');
    command.stop('SIGTERM');
    const end = await command.ended;
    expect(end.signal).toBe('SIGKILL');
    expect(processRunning(readPid(dir, 'escaped.pid'))).toBe(false);
  });

  it('ends what a command that exits on its own left running, and says how many', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'leave.sh': ['sleep 60 &', 'echo $! > member.pid', `setsid sh -c 'echo $$ > escaped.pid; exec sleep 60' &`, 'sleep 0.5', ''].join('\n') });
    const command = await startCommand({ argv: ['sh', 'leave.sh'], cwd: dir, env: process.env, ...quietly, killAfterMs: 5000 });
    const end = await command.ended;
    expect(end).toMatchObject({ exitCode: 0, stoppedBy: undefined, leftovers: 2 });
    for (const name of ['escaped.pid', 'member.pid']) expect(processRunning(readPid(dir, name)), name).toBe(false);
  });

  it('lets what the command started finish within a moment of its end (bats\' report formatter does)', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'late.sh': ['(sleep 0.7; echo written > report.txt) &', 'exit 0', ''].join('\n') });
    const command = await startCommand({ argv: ['sh', 'late.sh'], cwd: dir, env: process.env, ...quietly, killAfterMs: 5000 });
    const end = await command.ended;
    expect(end).toMatchObject({ exitCode: 0, stoppedBy: undefined, leftovers: 0 });
    expect(readFileSync(path.join(dir, 'report.txt'), 'utf8')).toBe('written\n');
  });

  it('stops a command at its timeout', async () => {
    const command = await startCommand({ argv: ['sleep', '30'], cwd: process.cwd(), env: process.env, ...quietly, killAfterMs: 5000, timeoutMs: 300 });
    const end = await command.ended;
    expect(end).toMatchObject({ signal: 'SIGTERM', stoppedBy: 'timeout' });
    expect(end.endedAt - command.startedAt).toBeGreaterThanOrEqual(299);
  });

  it('forwards the signals the tool receives', async () => {
    let listener: ((signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') => void) | undefined;
    const interrupts = { received: undefined, subscribe: (l: typeof listener) => ((listener = l), () => (listener = undefined)) };
    const command = await startCommand({ argv: ['sleep', '30'], cwd: process.cwd(), env: process.env, ...quietly, killAfterMs: 5000, interrupts });
    listener!('SIGHUP');
    expect(await command.ended).toMatchObject({ signal: 'SIGHUP', stoppedBy: 'SIGHUP' });
    expect(listener).toBeUndefined(); // unsubscribed once the command has ended
  });

  it('says in one error when the command cannot start', async () => {
    await expect(startCommand({ argv: ['no-such-command-xyz'], cwd: process.cwd(), env: process.env, ...quietly, killAfterMs: 1000 })).rejects.toThrow(
      'no-such-command-xyz: command not found',
    );
  });

  it('leaves the number of open descriptors as it was after many runs', async () => {
    const count = () => readdirSync('/proc/self/fd').length;
    const before = count();
    for (let i = 0; i < 20; i++) {
      const command = await startCommand({ argv: ['sh', '-c', 'true & true'], cwd: process.cwd(), env: process.env, ...quietly, killAfterMs: 1000 });
      await command.ended;
    }
    expect(count()).toBe(before);
  });
});

describe('Descendants', () => {
  it('follows children whose parent is one of the tree, not pids reused by others', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'kids.sh': 'sleep 2 & echo $! > kid.pid; sh -c "sleep 2 & wait" & wait\n' });
    const command = await startCommand({ argv: ['sh', 'kids.sh'], cwd: dir, env: process.env, ...quietly, killAfterMs: 1000 });
    const tree = new Descendants(command.pid);
    await waitUntil(() => hasPid(dir, 'kid.pid'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    tree.look();
    const alive = tree.sweep().map((s) => s.pid);
    expect(alive).toContain(command.pid);
    expect(alive).toContain(readPid(dir, 'kid.pid'));
    expect(alive).toHaveLength(4); // kids.sh, its sleep, the inner sh and its sleep, and no other process
    expect(alive).not.toContain(process.pid);
    command.stop('SIGTERM');
    await command.ended;
    tree.close();
  });

  it('parses /proc/<pid>/stat with spaces and parentheses in the name', () => {
    expect(parseStat('42 (a (b) c) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0')).toEqual({ pid: 42, state: 'S', ppid: 7, pgrp: 42, startTime: 12345 });
  });
});
