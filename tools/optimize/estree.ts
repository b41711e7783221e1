// typescript-estree (with TypeScript, some 10 MB of code), loaded only when a run meets JS/TS files.
import type * as TSESTreeModule from '@typescript-eslint/typescript-estree';

export type Estree = typeof TSESTreeModule;

let loaded: Promise<Estree> | undefined;

export function loadEstree(): Promise<Estree> {
  return (loaded ??= import('@typescript-eslint/typescript-estree'));
}
