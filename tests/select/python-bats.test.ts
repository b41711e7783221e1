// Python and bats edges on real git repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { change, edgesOf, gitRepo, removeRepos, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

describe('select: Python', () => {
  const project = {
    'pytest.ini': '[pytest]\npythonpath = src\ntestpaths = tests\n',
    'src/shop/__init__.py': 'from .cart import total\n',
    'src/shop/cart.py': 'from .money import cents\n\ndef total(xs):\n    return sum(cents(x) for x in xs)\n',
    'src/shop/money.py': 'def cents(x):\n    return x * 100\n',
    'src/shop/plugins/__init__.py': '',
    'src/shop/plugins/csv.py': 'FORMAT = "csv"\n',
    'src/labels.py': 'def slug(s):\n    return s.lower()\n',
    'tests/conftest.py': 'import pytest\n',
    'tests/test_total.py': 'from shop import total\n\ndef test_total():\n    assert total([1]) == 100\n',
    'tests/test_money.py': 'import shop.money as m\n\ndef test_cents():\n    assert m.cents(1) == 100\n',
    'tests/test_labels.py': [
      'import json',
      'from pathlib import Path',
      '"""A docstring that says: import shop"""',
      'from labels import slug',
      '',
      'def test_labels():',
      '    data = json.loads((Path(__file__).parent / "data" / "labels.json").read_text())',
      '    assert slug("A") == "a"',
    ].join('\n'),
    'tests/data/labels.json': '{"A": "a"}\n',
    'tests/test_plugins.py': 'import importlib\n\ndef test_plugin():\n    assert importlib.import_module("shop.plugins.csv").FORMAT == "csv"\n',
    'tests/api/conftest.py': 'import pytest\n',
    'tests/api/test_api.py': 'def test_api():\n    pass\n',
  };

  it('follows absolute, relative and importlib imports through __init__ chains on the pytest pythonpath', async () => {
    const dir = await gitRepo(project);
    // A module-level change: every importer, through the __init__ chains (a body-only change selects by name: symbols.test.ts).
    await change(dir, { 'src/shop/money.py': 'RATE = 101\n\ndef cents(x):\n    return x * RATE\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['tests/test_money.py', 'tests/test_plugins.py', 'tests/test_total.py']);
    expect(document.selected.find((s) => s.file === 'tests/test_total.py')!.reasons[0]!.chain).toEqual([
      'src/shop/money.py',
      'src/shop/cart.py',
      'src/shop/__init__.py',
      'tests/test_total.py',
    ]);
    // importlib.import_module("shop.plugins.csv") runs shop/__init__.py, which imports cart, which imports money.
    expect(edgesOf(document, 'tests/test_plugins.py')).toEqual(['python-import', 'python-import', 'python-import']);
  });

  it('applies a conftest.py to the tests at or below its directory only', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'tests/api/conftest.py': 'import pytest\n\n@pytest.fixture\ndef client():\n    return 1\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.edges])).toEqual([['tests/api/test_api.py', ['conftest']]]);
  });

  it('follows data files joined from path parts, and not imports inside strings', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'tests/data/labels.json': '{"A": "b"}\n' });
    expect(edgesOf(await selectJson(dir), 'tests/test_labels.py')).toEqual(['data-file']);
    await change(dir, { 'tests/data/labels.json': '{"A": "a"}\n', 'src/shop/plugins/csv.py': 'FORMAT = "tsv"\n' });
    expect((await select(dir)).list).toEqual(['tests/test_plugins.py']);
  });

  it('follows pytest_plugins of a conftest.py to the tests it applies to', async () => {
    const dir = await gitRepo({
      'pytest.ini': '[pytest]\n',
      'fixtures/__init__.py': '',
      'fixtures/db.py': 'import pytest\n\n@pytest.fixture\ndef db():\n    return {}\n',
      'tests/integration/conftest.py': 'pytest_plugins = [\n    "fixtures.db",\n]\n',
      'tests/integration/test_db.py': 'def test_db(db):\n    assert db == {}\n',
      'tests/unit/test_unit.py': 'def test_unit():\n    pass\n',
    });
    await change(dir, { 'fixtures/db.py': 'import pytest\n\n@pytest.fixture\ndef db():\n    return {"x": 1}\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.edges])).toEqual([['tests/integration/test_db.py', ['python-import', 'conftest']]]);
  });

  it('follows open("tests/data/…") relative to the rootdir and pytest python_files patterns', async () => {
    const dir = await gitRepo({
      'setup.cfg': '[tool:pytest]\npython_files = check_*.py\n',
      'tests/check_prices.py': 'def test_prices():\n    with open("tests/data/prices.csv") as f:\n        assert f.read()\n',
      'tests/test_ignored.py': 'def test_x():\n    pass\n',
      'tests/data/prices.csv': 'a,1\n',
    });
    await change(dir, { 'tests/data/prices.csv': 'a,2\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['tests/check_prices.py']);
    expect(document.counts.tests).toBe(1);
  });
});

describe('select: bats', () => {
  const project = {
    'src/total.sh': '#!/usr/bin/env bash\nsource "$(dirname "${BASH_SOURCE[0]}")/lib/pricing.sh"\nformat "$@"\n',
    'src/lib/pricing.sh': 'source "${BASH_SOURCE%/*}/money.sh"\n',
    'src/lib/money.sh': 'format() { echo "$1"; }\n',
    'src/slug.sh': '#!/usr/bin/env bash\necho "$1"\n',
    'test/test_helper.bash': 'SRC="$(cd "$BATS_TEST_DIRNAME/../src" && pwd)"\n',
    'test/total.bats': 'load test_helper\n\n@test "total" {\n  run "$SRC/total.sh" 1\n  [ "$output" = 1 ]\n}\n',
    'test/slug.bats': 'load test_helper\n\n@test "slug" {\n  while read -r a b; do run "$SRC/slug.sh" "$a"; done < "$BATS_TEST_DIRNAME/fixtures/slugs.tsv"\n}\n',
    'test/fixtures/slugs.tsv': 'A a\n',
    'test/plain.bats': '@test "plain" {\n  true\n}\n',
  };

  it('follows load, source through $(dirname "${BASH_SOURCE[0]}"), scripts run through helper variables, and data files', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/lib/money.sh': 'format() { echo "$$1"; }\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.chain, s.reasons[0]!.edges])).toEqual([
      ['test/total.bats', ['src/lib/money.sh', 'src/lib/pricing.sh', 'src/total.sh', 'test/total.bats'], ['bats-load', 'bats-load', 'exec']],
    ]);
    await change(dir, { 'src/lib/money.sh': 'format() { echo "$1"; }\n', 'test/fixtures/slugs.tsv': 'B b\n' });
    expect(edgesOf(await selectJson(dir), 'test/slug.bats')).toEqual(['data-file']);
    await change(dir, { 'test/fixtures/slugs.tsv': 'A a\n', 'test/test_helper.bash': 'SRC="$(cd "$BATS_TEST_DIRNAME/../src" && pwd)"\nexport X=1\n' });
    expect((await select(dir)).list).toEqual(['test/slug.bats', 'test/total.bats']);
  });
});
