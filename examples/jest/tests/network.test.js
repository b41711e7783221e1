const { execFileSync } = require('node:child_process');
const http = require('node:http');

function getJson(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

test('stock service answers over http', async () => {
  const server = http.createServer((_request, response) => response.end(JSON.stringify({ tea: 12 })));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const stock = await getJson(`http://127.0.0.1:${server.address().port}/stock`);
    expect(stock).toEqual({ tea: 12 });
  } finally {
    server.close();
  }
});

test('export runs as a child process', () => {
  const output = execFileSync(process.execPath, ['-e', 'process.stdout.write("42")'], { encoding: 'utf8' });
  expect(output).toBe('42');
});
