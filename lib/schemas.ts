// The document kinds and the schema version every reader and writer of this build speaks. Their
// schemas (schemas/*.schema.json) become types and validators in lib/generated/ (make generate).

export const documentKinds = ['profile', 'memory', 'optimization', 'selection', 'comparison', 'benchmark'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** The schema version every reader and writer of this build speaks. */
export const SCHEMA_VERSION = 1;
