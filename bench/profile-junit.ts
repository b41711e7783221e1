// Large JUnit input: a generated report of 100k test cases (~50 MB, with failure texts and captured
// output as real reports have) read by `testpace-profile --junit` end to end (parse, statistics,
// document written to /dev/null), and by the streaming reader alone. Targets (issue 3): parse under
// 5 s, peak memory (max RSS) under 500 MB.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readJunit } from '../lib/runners/junit.ts';

const root = path.resolve(import.meta.dirname, '..');
const CASES = Number(process.env.BENCH_CASES ?? 100_000);

async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n');
  const perSuite = 100;
  const trace = Array.from({ length: 12 }, (_, i) => `    at Object.handler (src/module_${i}/handler.js:${i * 7 + 3}:15)`).join('\n');
  for (let s = 0; s < CASES / perSuite; s++) {
    await write(`<testsuite name="suite-${s}" tests="${perSuite}" timestamp="2026-11-24T05:00:00" file="tests/area_${s % 50}/test_suite_${s}.py">\n`);
    for (let c = 0; c < perSuite; c++) {
      const n = s * perSuite + c;
      const attrs = `classname="tests.area_${s % 50}.test_suite_${s}.TestGroup${c % 7}" name="test_case_${n}[param-${n % 13}]" time="${((n % 997) / 1000).toFixed(3)}"`;
      if (n % 10 === 0) {
        await write(`  <testcase ${attrs}><failure message="AssertionError: expected ${n} to equal ${n + 1}" type="AssertionError">AssertionError: expected ${n} to equal ${n + 1}\n${trace}\n</failure><system-out><![CDATA[${'log line with some captured output\n'.repeat(3)}]]></system-out></testcase>\n`);
      } else if (n % 25 === 1) {
        await write(`  <testcase ${attrs}><skipped message="not on this platform"/></testcase>\n`);
      } else {
        await write(`  <testcase ${attrs}><system-out>captured stdout of test ${n}: ${'x'.repeat(300)}</system-out></testcase>\n`);
      }
    }
    await write('</testsuite>\n');
  }
  await write('</testsuites>\n');
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'testpace-bench-junit-'));
try {
  const file = path.join(dir, 'report.xml');
  await generate(file);
  const megabytes = statSync(file).size / 1024 / 1024;
  console.log(`generated ${CASES} test cases, ${megabytes.toFixed(1)} MB`);

  // The streaming reader alone, in this process.
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  let count = 0;
  await readJunit(file, () => count++);
  const parseMs = performance.now() - start;
  console.log(`readJunit: ${count} cases in ${(parseMs / 1000).toFixed(2)} s (${parseMs <= 5000 ? 'within' : 'OVER'} 5 s); RSS grew ${((process.memoryUsage().rss - rssBefore) / 1024 / 1024).toFixed(0)} MB`);

  // End to end through the tool: the command "writes" the report (touch), the tool reads it and writes its document.
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '%e %M'] : [];
  const tool = [process.execPath, path.join(root, 'dist', 'testpace-profile.cjs'), '--quiet', '--out', '/dev/null', '--junit', file, '--', 'touch', file];
  const result = spawnSync(time[0] ?? tool[0]!, [...time.slice(1), ...(time.length ? tool : tool.slice(1))], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`testpace-profile exited ${result.status}: ${result.stderr}`);
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  const measured = time.length ? /^([\d.]+) (\d+)$/.exec(last) : null;
  if (measured) {
    const seconds = Number(measured[1]);
    const peakMb = Number(measured[2]) / 1024;
    console.log(
      `testpace-profile --junit (parse, statistics, document): ${seconds.toFixed(2)} s wall, peak RSS ${peakMb.toFixed(0)} MB ` +
        `(${peakMb <= 500 ? 'within' : 'OVER'} 500 MB)`,
    );
  } else {
    console.log('testpace-profile --junit ran; /usr/bin/time is not installed, so its peak memory is not reported');
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
