const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { slugify } = require('../src/labels');

describe('labels', function () {
  it('slugs match the printed labels', function () {
    const printed = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'labels.json'), 'utf8'));
    assert.deepEqual(Object.fromEntries(Object.keys(printed).map((name) => [name, slugify(name)])), printed);
  });

  it('slug of an empty name is empty', function () {
    assert.equal(slugify(''), '');
  });
});
