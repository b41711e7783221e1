// node's default reporter, named: any --test-reporter replaces node's default, so when the user
// gave none and testpace adds its own, this one keeps what node would have printed. node's own rule:
// spec on a terminal and TAP otherwise before Node 23, spec always from Node 23 on.
import { spec, tap } from 'node:test/reporters';

const major = Number(process.versions.node.split('.')[0]);

export default major >= 23 || process.stdout.isTTY ? spec : tap;
