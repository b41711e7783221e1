// Opens a page in headless Chromium and drives it over the DevTools protocol on a pipe
// (--remote-debugging-pipe: commands on fd 3, replies on fd 4, NUL-terminated JSON), so a test can
// see every request the page makes, run script in it and take a screenshot, in one launch.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The Chromium binary: Debian's `chromium`, installed with apt-get when missing and possible. */
export function findChromium(): string {
  const which = (name: string) => {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const found = which('chromium') ?? which('chromium-browser');
  if (found) return found;
  if (process.getuid?.() === 0 && which('apt-get')) {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'ignore', timeout: 600_000 });
    const installed = which('chromium');
    if (installed) return installed;
  }
  throw new Error('chromium is not installed: run scripts/setup.sh (it installs Debian\'s chromium package)');
}

export interface PageVisit {
  /** Every URL the page asked for, the document itself included. */
  requests: string[];
  /** Messages of alert/confirm/prompt dialogs the page opened. */
  dialogs: string[];
  /** Results of the expressions evaluated after load, by name. */
  values: Record<string, unknown>;
  /** PNG of the whole page. */
  screenshot: Buffer;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** Loads `url` at the given viewport width, evaluates `expressions` and screenshots the page. */
export async function visit(url: string, expressions: Record<string, string>, options: { width?: number; scale?: number; top?: number; maxHeight?: number } = {}): Promise<PageVisit> {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'testpace-chromium-'));
  const child: ChildProcess = spawn(
    findChromium(),
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profileDir}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  const listeners: ((message: Message) => void)[] = [];
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as Message;
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined && pending.has(message.id)) {
        const waiter = pending.get(message.id)!;
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message.result ?? {});
      } else for (const listener of listeners) listener(message);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });

  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const requests: string[] = [];
    const dialogs: string[] = [];
    let loaded!: () => void;
    const load = new Promise<void>((resolve) => (loaded = resolve));
    listeners.push((message) => {
      if (message.sessionId !== sessionId) return;
      if (message.method === 'Network.requestWillBeSent') requests.push((message.params!.request as { url: string }).url);
      if (message.method === 'Page.javascriptDialogOpening') {
        dialogs.push(String(message.params!.message));
        void send('Page.handleJavaScriptDialog', { accept: true }, sessionId);
      }
      if (message.method === 'Page.loadEventFired') loaded();
    });
    await send('Network.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    await send('Emulation.setDeviceMetricsOverride', { width: options.width ?? 1200, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    await send('Page.navigate', { url }, sessionId);
    await load;
    const values: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      const reply = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as { result: { value: unknown } };
      values[name] = reply.result.value;
    }
    const metrics = (await send('Page.getLayoutMetrics', {}, sessionId)) as { cssContentSize: { width: number; height: number } };
    const { data } = (await send(
      'Page.captureScreenshot',
      {
        format: 'png',
        captureBeyondViewport: true,
        clip: { x: 0, y: options.top ?? 0, width: metrics.cssContentSize.width, height: Math.min(metrics.cssContentSize.height - (options.top ?? 0), options.maxHeight ?? 6000), scale: options.scale ?? 1 },
      },
      sessionId,
    )) as { data: string };
    await send('Browser.close').catch(() => undefined);
    return { requests, dialogs, values, screenshot: Buffer.from(data, 'base64') };
  } catch (error) {
    throw new Error(`chromium: ${(error as Error).message}\n${stderr.slice(-2000)}`);
  } finally {
    clearTimeout(timeout);
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    // Chromium's last writes may land just after it is killed: retry the removal.
    await rm(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
