// The envelope every document starts with: kind, schemaVersion, tool, createdAt.
import type { ToolName } from './cli.ts';
import type { DocumentKind } from './schemas.ts';
import { SCHEMA_VERSION } from './schemas.ts';
import { VERSION } from './version.ts';

export interface DocumentHeader<K extends DocumentKind> {
  kind: K;
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: `testpace-${ToolName}`; version: string };
  createdAt: string;
}

/** The header of a new document; `now` is injectable so tests can pin it. */
export function documentHeader<K extends DocumentKind>(kind: K, tool: ToolName, now: Date = new Date()): DocumentHeader<K> {
  return { kind, schemaVersion: SCHEMA_VERSION, tool: { name: `testpace-${tool}`, version: VERSION }, createdAt: now.toISOString() };
}
