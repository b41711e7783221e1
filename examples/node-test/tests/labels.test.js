import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { slugify } from '#lib/labels.js';

test('slugs match the printed labels', () => {
  const printed = JSON.parse(readFileSync(new URL('./fixtures/labels.json', import.meta.url), 'utf8'));
  assert.deepEqual(Object.fromEntries(Object.keys(printed).map((name) => [name, slugify(name)])), printed);
});

test('slug of an empty name is empty', () => {
  assert.equal(slugify(''), '');
});
