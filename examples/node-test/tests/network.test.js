import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';

test('stock service answers over http', async () => {
  const server = createServer((_request, response) => response.end(JSON.stringify({ tea: 12 })));
  await once(server.listen(0, '127.0.0.1'), 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${server.address().port}/stock`);
    assert.deepEqual(await response.json(), { tea: 12 });
  } finally {
    server.close();
  }
});

test('stock service is unreachable once it stops', async () => {
  const server = createServer();
  await once(server.listen(0, '127.0.0.1'), 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  await assert.rejects(fetch(`http://127.0.0.1:${port}/stock`), (error) => error.cause?.code === 'ECONNREFUSED');
});

test('export runs as a child process', () => {
  const output = execFileSync(process.execPath, ['-e', 'process.stdout.write("42")'], { encoding: 'utf8' });
  assert.equal(output, '42');
});
