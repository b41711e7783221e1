// Files of other languages imported as text (`import source from './plugin.py?raw'`): Vite reads
// them so under vitest, and scripts/build.mjs bundles them with esbuild's text loader.
declare module '*?raw' {
  const text: string;
  export default text;
}
