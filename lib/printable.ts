// The one escaping function for text from outside (test names, file names, messages, documents)
// before it reaches a person's terminal or a Markdown page.

/**
 * Controls that would act instead of being shown: C0 (ESC, BEL, CR, backspace...), DEL and C1 (CSI,
 * OSC as single code units), the bidirectional overrides, embeddings and isolates that reorder what
 * follows them (U+202E makes `gnp.exe` read `exe.png`), and the line and paragraph separators that
 * some terminals and editors break lines on.
 */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `value` with every active character shown as an escape (`\x1b`, `\u202e`), so that a test name cannot
 * move the cursor, clear the screen, set the window title, ring the bell or reverse the line. A newline
 * or tab becomes a space: each call's result stays on the line it is printed on.
 */
export function printable(value: string): string {
  return value.replace(ACTIVE, (c) => {
    if (c === '\n' || c === '\t') return ' ';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
