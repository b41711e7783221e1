// Shared by the mem-profile tests: running the built tool on real processes and checking its document.
import { spawn } from 'node:child_process';
import { validateDocument } from '../../lib/read-document.ts';
import type { MemoryDocument } from '../../tools/mem-profile/document.ts';
import { type ProcessResult, binary, runBinary } from '../helpers.ts';

export const MiB = 1024 * 1024;

export interface Profiled extends ProcessResult {
  document: MemoryDocument;
}

/** Runs testpace-mem-profile on `command` and returns its validated document. */
export async function memProfile(args: string[], command: string[], options: { cwd?: string } = {}): Promise<Profiled> {
  const result = await runBinary('mem-profile', ['--quiet', ...args, '--', ...command], { cwd: options.cwd });
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`no document on stdout (exit ${result.code}):\n${result.stderr}`);
  }
  return { ...result, document: validateDocument<MemoryDocument>(parsed, 'stdout', ['memory']) };
}

/** Starts the tool as a real process, sends `signal` after `afterMs`, and collects the result. */
export function memProfileInterrupted(command: string[], signal: NodeJS.Signals, afterMs: number, cwd: string): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binary('mem-profile'), '--quiet', '--', ...command], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(signal), afterMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
