// The version of this build: injected by esbuild into bundles; 'dev' when running from source.
declare const TESTPACE_VERSION: string | undefined;

export const VERSION: string = typeof TESTPACE_VERSION === 'string' ? TESTPACE_VERSION : 'dev';
