// Build-time stand-in for the string-width package, which yargs, cliui, wrap-ansi and cli-table3
// use to measure columns. string-width 8 compiles Unicode-set regexes (\p{RGI_Emoji}, flag v) as it
// loads: about 50 ms of every tool's start-up, measured with --cpu-prof on `--help`. Help text and
// tables need less: printable ASCII is its length; otherwise each grapheme counts by the East Asian
// Width of its first code point, emoji as two columns, marks and controls as none.
// CommonJS, so that both `require('string-width')` and `import stringWidth from 'string-width'` work.
'use strict';
const { eastAsianWidth } = require('get-east-asian-width');

const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const printableAscii = /^[\x20-\x7e]*$/;
let segmenter;
let zeroWidth;
let pictographic;

function stringWidth(text, options = {}) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  const plain = options.countAnsiEscapeCodes ? text : text.replace(ansi, '');
  if (printableAscii.test(plain)) return plain.length;
  segmenter ??= new Intl.Segmenter();
  zeroWidth ??= /^[\p{Mn}\p{Me}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
  pictographic ??= /\p{Extended_Pictographic}/u;
  let width = 0;
  for (const { segment } of segmenter.segment(plain)) {
    if (zeroWidth.test(segment)) continue;
    if (pictographic.test(segment)) {
      width += 2;
      continue;
    }
    width += eastAsianWidth(segment.codePointAt(0), { ambiguousAsWide: options.ambiguousIsNarrow === false });
  }
  return width;
}

module.exports = stringWidth;
module.exports.default = stringWidth;
