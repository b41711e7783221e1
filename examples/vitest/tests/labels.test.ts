import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { slugify } from '@lib/labels';

test('slugs match the printed labels', () => {
  const printed = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'labels.json'), 'utf8'));
  expect(Object.fromEntries(Object.keys(printed).map((name) => [name, slugify(name)]))).toEqual(printed);
});

test('slug of an empty name is empty', () => {
  expect(slugify('')).toBe('');
});
