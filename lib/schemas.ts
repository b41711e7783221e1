// The JSON Schemas of every document kind, bundled into each tool (esbuild inlines JSON imports).
import benchmark from '../schemas/benchmark.schema.json' with { type: 'json' };
import common from '../schemas/common.schema.json' with { type: 'json' };
import comparison from '../schemas/comparison.schema.json' with { type: 'json' };
import memory from '../schemas/memory.schema.json' with { type: 'json' };
import optimization from '../schemas/optimization.schema.json' with { type: 'json' };
import profile from '../schemas/profile.schema.json' with { type: 'json' };
import selection from '../schemas/selection.schema.json' with { type: 'json' };

export const documentKinds = ['profile', 'memory', 'optimization', 'selection', 'comparison', 'benchmark'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** The schema version every reader and writer of this build speaks. */
export const SCHEMA_VERSION = 1;

export const commonSchema: object = common;
export const kindSchemas: Record<DocumentKind, object> = { profile, memory, optimization, selection, comparison, benchmark };
