import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { NAMED_SCHEMAS } from './openapi-names.js';

test('every named schema has a unique name and examples it accepts', () => {
  const names = NAMED_SCHEMAS.map(([, name]) => name);
  assert.equal(new Set(names).size, names.length, 'two schemas share a name');
  for (const [schema, name, examples] of NAMED_SCHEMAS) {
    assert.equal(z.globalRegistry.get(schema)?.id, name);
    assert.ok(examples.length > 0, `${name} has no example`);
    for (const example of examples) {
      const result = schema.safeParse(example);
      assert.ok(result.success, `${name}'s example is invalid: ${result.success ? '' : z.prettifyError(result.error)}`);
    }
  }
});
