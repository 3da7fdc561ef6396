import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateSchemaTypes } from '../scripts/schema-types.js';

test('when the types are generated again from the current document, then they equal the committed src/schema.ts', async () => {
  const committed = readFileSync(path.join(__dirname, 'schema.ts'), 'utf8');
  const generated = await generateSchemaTypes();
  assert.ok(generated === committed, 'src/schema.ts is out of date with the services\' OpenAPI descriptions: run `npm run generate -w @desk/client` and commit it');
});
