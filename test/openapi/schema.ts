/**
 * A minimal JSON Schema of the OpenAPI 3.1 parts our documents use (not the full official
 * schema): enough to catch a missing `responses`, a path parameter that is not required, a
 * response without a description, or a misspelled field.
 */
const parameter = {
  type: 'object',
  required: ['name', 'in', 'schema'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    in: { enum: ['path', 'query', 'header', 'cookie'] },
    required: { type: 'boolean' },
    description: { type: 'string' },
    schema: { type: 'object' },
  },
  if: { properties: { in: { const: 'path' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
  then: { required: ['required'], properties: { required: { const: true } } },
};

const mediaTypes = {
  type: 'object',
  minProperties: 1,
  additionalProperties: { type: 'object', required: ['schema'], properties: { schema: { type: 'object' } } },
};

const operation = {
  type: 'object',
  required: ['operationId', 'summary', 'responses'],
  additionalProperties: false,
  properties: {
    tags: { type: 'array', items: { type: 'string' } },
    operationId: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
    summary: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    security: { type: 'array', items: { type: 'object' } },
    parameters: { type: 'array', items: parameter },
    requestBody: {
      type: 'object',
      required: ['content'],
      additionalProperties: false,
      properties: { required: { type: 'boolean' }, description: { type: 'string' }, content: mediaTypes },
    },
    responses: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^([1-5][0-9]{2}|default)$' },
      additionalProperties: {
        type: 'object',
        required: ['description'],
        additionalProperties: false,
        properties: { description: { type: 'string' }, content: mediaTypes, headers: { type: 'object' } },
      },
    },
  },
};

export const OPENAPI_31_SUBSET = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.[0-9]+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' }, description: { type: 'string' }, license: { type: 'object', required: ['name'] } },
    },
    servers: { type: 'array', items: { type: 'object', required: ['url'] } },
    tags: { type: 'array', items: { type: 'object', required: ['name'] } },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        minProperties: 1,
        propertyNames: { enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'summary', 'description', 'parameters'] },
        additionalProperties: operation,
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: { type: 'object', additionalProperties: { type: 'object', required: ['type'] } },
      },
    },
  },
};
