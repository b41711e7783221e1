import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';

test('stock service answers over http', async () => {
  const server = createServer((_request, response) => response.end(JSON.stringify({ tea: 12 })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/stock`);
    expect(await response.json()).toEqual({ tea: 12 });
  } finally {
    server.close();
  }
});

test('export runs as a child process', () => {
  const output = execFileSync(process.execPath, ['-e', 'process.stdout.write("42")'], { encoding: 'utf8' });
  expect(output).toBe('42');
});
