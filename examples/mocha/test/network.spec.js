const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const net = require('node:net');

// A port that was free a moment ago and that nothing listens on now.
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('inventory service', function () {
  it('refuses connections when it is down', async function () {
    const port = await closedPort();
    const error = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => resolve(null));
      socket.on('error', resolve);
    });
    assert.equal(error?.code, 'ECONNREFUSED');
  });
});

describe('export', function () {
  it('runs as a child process', function () {
    const output = execFileSync(process.execPath, ['-e', 'process.stdout.write("42")'], { encoding: 'utf8' });
    assert.equal(output, '42');
  });
});
