import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSchemaTypes } from './schema-types.js';

// `npm run generate -w @desk/client`: rewrites src/schema.ts from the platform's merged
// OpenAPI document. schema.test.ts fails while the committed file differs from what this writes.

void generateSchemaTypes().then((source) => {
  writeFileSync(path.join(__dirname, '..', 'src', 'schema.ts'), source);
  process.stdout.write('packages/client/src/schema.ts written\n');
});
