// Entry point of the testpace-select executable (bundled by scripts/build.mjs).
import { processIo } from '../../lib/io.ts';
import { VERSION } from '../../lib/version.ts';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered before the command line is parsed, so that version probes cost only Node's own start-up.
  process.stdout.write(VERSION + '\n');
} else {
  const { cli } = await import('./cli.ts');
  process.exitCode = await cli(args, processIo());
}
