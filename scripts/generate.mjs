// Generates what follows from schemas/: the TypeScript types of every document (lib/generated/
// documents.ts, json-schema-to-typescript) and precompiled validators (lib/generated/validators.js,
// ajv's standalone mode). `node scripts/generate.mjs` writes them (make generate); with --check it
// only says which are stale and exits 1 (make check, tests/generated.test.ts).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, _ } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const kinds = ['profile', 'memory', 'optimization', 'selection', 'comparison', 'benchmark'];
const COMMON = 'urn:testpace:schema:common';
// Local definitions whose own name would say too little once all kinds share one module.
const typeNames = { stats: 'BenchmarkStats', benchmark: 'BenchmarkEntry', status: 'ComparisonStatus', summary: 'ProfileSummary', budget: 'BudgetResult' };

const pascal = (key) => typeNames[key] ?? key[0].toUpperCase() + key.slice(1);
const readSchema = async (name) => JSON.parse(await readFile(path.join(root, 'schemas', `${name}.schema.json`), 'utf8'));

/** One schema holding every kind and definition, refs made local, each named for the type it becomes. */
function combined(common, schemas) {
  const defs = {};
  const local = (ref) => `#/$defs/${pascal(ref.slice(ref.indexOf('#/$defs/') + '#/$defs/'.length))}`;
  const rewrite = (node) => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref' && key !== '$id' && key !== '$schema' && key !== '$defs') out[key] = rewrite(value);
    }
    if (node.$ref === undefined) return out;
    // A $ref beside a description alone would make json-schema-to-typescript copy the type under a
    // new name: the description is dropped. Beside constraints (properties), both apply: allOf.
    const { description: _description, ...constraints } = out;
    return Object.keys(constraints).length === 0 ? { $ref: local(node.$ref) } : { allOf: [{ $ref: local(node.$ref) }, constraints] };
  };
  const add = (name, schema) => {
    if (defs[name]) throw new Error(`two definitions named ${name}`);
    defs[name] = { ...rewrite(schema), title: name };
  };
  for (const [key, schema] of Object.entries(common.$defs)) add(pascal(key), schema);
  for (const [kind, schema] of Object.entries(schemas)) {
    for (const [key, def] of Object.entries(schema.$defs ?? {})) add(pascal(key), def);
    add(`${kind[0].toUpperCase()}${kind.slice(1)}Document`, schema);
  }
  return { title: 'AnyDocument', oneOf: kinds.map((kind) => ({ $ref: `#/$defs/${kind[0].toUpperCase()}${kind.slice(1)}Document` })), $defs: defs };
}

async function types(common, schemas) {
  const banner = '// Generated from schemas/ by scripts/generate.mjs (make generate): do not edit.\n/* eslint-disable */';
  return compile(combined(common, schemas), 'AnyDocument', {
    bannerComment: banner,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
    format: true,
    style: { singleQuote: true, printWidth: 140 },
  });
}

function validators(common, schemas) {
  // The one format the schemas use, checked as the tools always did: whatever Date.parse accepts.
  const formats = _`{ 'date-time': (value) => !Number.isNaN(Date.parse(value)) }`;
  const ajv = new Ajv2020({ allErrors: false, strict: true, inlineRefs: false, code: { source: true, esm: true, formats } });
  ajv.addFormat('date-time', (value) => !Number.isNaN(Date.parse(value)));
  ajv.addSchema(common);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  // ajv writes its runtime helpers as require() even in ES module output: made imports here.
  const runtime = new Map();
  const code = standaloneCode(ajv, Object.fromEntries(kinds.map((kind) => [kind, schemas[kind].$id]))).replace(
    /require\("ajv\/dist\/runtime\/([a-z0-9]+)"\)\.default/gi,
    (_match, name) => {
      runtime.set(name, `runtime_${name}`);
      return `runtime_${name}`;
    },
  );
  // CommonJS modules with exports.default: the default import is module.exports under Node.
  const imports = [...runtime]
    .map(([name, local]) => `import ${local}_module from 'ajv/dist/runtime/${name}.js';\nconst ${local} = ${local}_module.default ?? ${local}_module;\n`)
    .join('');
  return `// Generated from schemas/ by scripts/generate.mjs (make generate): do not edit.\n/* eslint-disable */\n${imports}${code}\n`;
}

const common = await readSchema('common');
const schemas = Object.fromEntries(await Promise.all(kinds.map(async (kind) => [kind, await readSchema(kind)])));
if (common.$id !== COMMON) throw new Error(`schemas/common.schema.json: expected $id ${COMMON}`);
const outputs = {
  'lib/generated/documents.ts': await types(common, schemas),
  'lib/generated/validators.js': validators(common, schemas),
  'lib/generated/validators.d.ts':
    "// Generated by scripts/generate.mjs (make generate): do not edit.\nimport type { ValidateFunction } from 'ajv';\n\n" +
    kinds.map((kind) => `export declare const ${kind}: ValidateFunction;\n`).join(''),
};

const check = process.argv.includes('--check');
const stale = [];
for (const [file, text] of Object.entries(outputs)) {
  const current = await readFile(path.join(root, file), 'utf8').catch(() => undefined);
  if (current === text) continue;
  stale.push(file);
  if (!check) await writeFile(path.join(root, file), text);
}
if (check && stale.length > 0) {
  process.stderr.write(`generate: stale, run \`make generate\`: ${stale.join(', ')}\n`);
  process.exitCode = 1;
}
