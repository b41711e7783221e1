// The mutation check over every example (issue 6): break each source and data file, run the
// example's whole suite with its real runner, and check that selecting with only that file
// changed includes every test file that failed (recall must be 100%); report precision.
// Usage: node scripts/run-ts.mjs bench/select-mutation.ts [example...]   (exit 1 if a test was missed)
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { examplesDir } from '../tests/helpers.ts';
import { mutationCheck } from '../tests/select/mutation.ts';

const asked = process.argv.slice(2);
const examples = asked.length > 0 ? asked : readdirSync(examplesDir).filter((name) => statSync(path.join(examplesDir, name)).isDirectory());
let missed = 0;
const rows: string[] = [];
for (const example of examples) {
  const started = performance.now();
  const report = await mutationCheck(example, (line) => process.stderr.write(`  ${line}\n`));
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  for (const mutation of report.mutations) {
    missed += mutation.missed.length;
    if (mutation.missed.length > 0) process.stderr.write(`MISSED ${example}/${mutation.file}: ${mutation.missed.join(', ')}\n`);
  }
  const failing = report.mutations.reduce((n, m) => n + m.failing.length, 0);
  const selected = report.mutations.reduce((n, m) => n + m.selected.length, 0);
  rows.push(
    `${example.padEnd(10)} ${String(report.mutations.length).padStart(9)} ${String(failing).padStart(13)} ${String(selected).padStart(14)} ${(report.recall * 100).toFixed(0).padStart(6)}% ${(report.precision * 100).toFixed(0).padStart(9)}% ${seconds.padStart(5)} s`,
  );
}
console.log('example    mutations  failing files  selected files  recall  precision  time');
for (const row of rows) console.log(row);
console.log(missed === 0 ? 'every failing test file was selected' : `${missed} failing test files were NOT selected`);
process.exitCode = missed === 0 ? 0 : 1;
