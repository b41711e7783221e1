// `import text from './file.py?raw'`: a file of another language, as text (vitest natively; the build
// through its text loader, scripts/build.mjs).
declare module '*?raw' {
  const text: string;
  export default text;
}
