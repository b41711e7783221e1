const { execFileSync } = require('node:child_process');
const http = require('node:http');

test('stock service answers over http', async () => {
  const server = http.createServer((_request, response) => response.end(JSON.stringify({ tea: 12 })));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const body = await new Promise((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${server.address().port}/stock`, (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(JSON.parse(body)).toEqual({ tea: 12 });
  } finally {
    server.close();
  }
});

test('export runs as a child process', () => {
  const output = execFileSync(process.execPath, ['-e', 'process.stdout.write("42")'], { encoding: 'utf8' });
  expect(output).toBe('42');
});
