import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from './openapi-conformance.js';

const DOCUMENT_ID = 'urn:desk:openapi';

/**
 * Checks answers against the document: a body whose status and media type are documented must
 * match the documented schema, `$ref`s to `#/components/schemas` resolved in the document.
 */
export function responseValidator(document: OpenApiDocument): (method: string, path: string, response: { status: number; headers: Record<string, string>; body: unknown }) => void {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components ?? {} });
  const absolute = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${DOCUMENT_ID}#/components/schemas/`));

  return (method, path, response) => {
    const name = `${method.toUpperCase()} ${path} ${response.status}`;
    const documented = document.paths[path]?.[method]?.responses[String(response.status)] as { content?: Record<string, { schema?: unknown }> } | undefined;
    const mediaType = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
    const schema = documented?.content?.[mediaType]?.schema;
    if (!schema || !/[/+]json$/.test(mediaType)) return;
    const validate = ajv.compile(absolute(schema) as object);
    assert.ok(validate(response.body), `${name} answered a body that does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(response.body)}`);
  };
}
