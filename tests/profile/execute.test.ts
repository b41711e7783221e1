// execute(): the CPU of a run is its own process tree's, even with work alongside it that starts
// processes of its own (profile asks git for its state while the first run goes on, from 100 ms in).
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { execute } from '../../tools/profile/execute.ts';
import { memoryIo } from '../helpers.ts';

const noInterrupts = { received: undefined, subscribe: () => () => undefined };

/** A process that keeps one core busy for `ms`. */
const burn = (ms: number) =>
  new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end);`], (error) => (error ? reject(error) : resolve()));
  });

const run = (command: string[], alongside?: () => Promise<unknown>) =>
  execute({ command, env: process.env, cwd: process.cwd(), io: memoryIo(), quiet: true, documentOnStdout: true, timeoutMs: undefined, killAfterMs: 10_000, interrupts: noInterrupts, alongside });

describe('execute', () => {
  it('leaves out of the run\'s CPU the processes of the work alongside it', async () => {
    // The command sleeps (no CPU to speak of) while the work alongside burns 400 ms of CPU. The sleep
    // leaves room for a loaded machine: the work must end before the command for its CPU to be told apart.
    const execution = await run(['sleep', '4'], () => burn(400));
    expect(execution.exitCode).toBe(0);
    expect(execution.cpu).toEqual({ userMs: expect.any(Number), systemMs: expect.any(Number) });
    expect(execution.cpu!.userMs + execution.cpu!.systemMs).toBeLessThan(150);
  });

  it('counts the command\'s own CPU', async () => {
    const execution = await run([process.execPath, '-e', 'const end = Date.now() + 400; while (Date.now() < end);'], () => Promise.resolve());
    expect(execution.cpu!.userMs + execution.cpu!.systemMs).toBeGreaterThanOrEqual(250);
  });

  it('leaves the CPU unmeasured when the command ends while the work alongside it goes on', async () => {
    // The work begins 100 ms after the command's start, and goes on after its end.
    const execution = await run(['sleep', '0.2'], () => burn(600));
    expect(execution.exitCode).toBe(0);
    expect(execution.cpu).toBeUndefined();
  });

  it('measures a command that ends before the work alongside begins, and does that work after it', async () => {
    let done = false;
    const execution = await run(['true'], () => burn(300).then(() => (done = true)));
    expect(execution.exitCode).toBe(0);
    expect(done).toBe(true);
    expect(execution.cpu).toEqual({ userMs: expect.any(Number), systemMs: expect.any(Number) });
    expect(execution.cpu!.userMs + execution.cpu!.systemMs).toBeLessThan(150);
  });
});
