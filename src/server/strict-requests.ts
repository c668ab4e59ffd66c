import type { FastifySchemaCompiler, RouteOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Request bodies and query strings refuse keys their schema does not declare. The schemas in src/schemas are
 * plain zod objects, which strip unknown keys, and they are shared with the responses, the CLI and the services,
 * so they stay as they are: the server validates each route's body and querystring with a strict copy made when
 * the route's validator is compiled. In the copy every object without a catchall of its own refuses unknown keys
 * (zod's `unrecognized_keys`, which errors.ts answers as one issue per key, `body.tierr`), at any depth: inside
 * arrays, records, unions, optional, nullable and defaulted values, and the input side of a pipe. An object that
 * declares a catchall keeps it (the saved view's query takes other filters as plain values). The OpenAPI document
 * says the same: `closeRequestBodies` gives the objects of every request body `additionalProperties: false`.
 */
type Schema = z.core.$ZodType;

const strictCopies = new WeakMap<Schema, Schema>();
const inProgress = new WeakSet<Schema>();

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'catch',
  'readonly',
  'nonoptional',
  'success',
]);

/** The strict copy of a request schema (the schema itself when nothing in it is an object). */
export function strictRequestSchema<T extends Schema>(schema: T): T {
  // A plain JSON schema (a plugin's route) is not ours to copy.
  if (typeof (schema as { _zod?: unknown })?._zod !== 'object') return schema;
  const known = strictCopies.get(schema);
  if (known) return known as T;
  // A schema met again while its own copy is being made (a recursive shape) stays as it is there.
  if (inProgress.has(schema)) return schema;
  inProgress.add(schema);
  try {
    const copy = strictCopyOf(schema);
    strictCopies.set(schema, copy);
    return copy as T;
  } finally {
    inProgress.delete(schema);
  }
}

function strictCopyOf(schema: Schema): Schema {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const copy = (changes: Record<string, unknown>) => z.core.clone(schema, { ...def, ...changes });
  switch (def.type) {
    case 'object': {
      const { shape, catchall } = def as unknown as z.core.$ZodObjectDef;
      const strictShape = Object.fromEntries(
        Object.entries(shape).map(([key, value]) => [key, strictRequestSchema(value)]),
      );
      return copy({
        shape: strictShape,
        catchall: catchall === undefined ? z.never() : strictRequestSchema(catchall),
      });
    }
    case 'array': {
      const element = def.element as Schema;
      const strict = strictRequestSchema(element);
      return strict === element ? schema : copy({ element: strict });
    }
    case 'record': {
      const valueType = def.valueType as Schema;
      const strict = strictRequestSchema(valueType);
      return strict === valueType ? schema : copy({ valueType: strict });
    }
    case 'union': {
      const options = def.options as readonly Schema[];
      const strict = options.map((option) => strictRequestSchema(option));
      return strict.every((option, i) => option === options[i]) ? schema : copy({ options: strict });
    }
    case 'intersection': {
      // Zod reports a key as unknown only when both sides refuse it.
      const left = strictRequestSchema(def.left as Schema);
      const right = strictRequestSchema(def.right as Schema);
      return left === def.left && right === def.right ? schema : copy({ left, right });
    }
    case 'tuple': {
      const items = def.items as readonly Schema[];
      const rest = def.rest as Schema | null;
      const strictItems = items.map((item) => strictRequestSchema(item));
      const strictRest = rest ? strictRequestSchema(rest) : rest;
      return strictRest === rest && strictItems.every((item, i) => item === items[i])
        ? schema
        : copy({ items: strictItems, rest: strictRest });
    }
    case 'pipe': {
      // What the client sent is what the input side reads; the output side reads what that made of it.
      const input = def.in as Schema;
      const strict = strictRequestSchema(input);
      return strict === input ? schema : copy({ in: strict });
    }
    case 'lazy': {
      const getter = def.getter as () => Schema;
      return copy({ getter: () => strictRequestSchema(getter()) });
    }
    default: {
      if (!WRAPPERS.has(def.type)) return schema;
      const inner = def.innerType as Schema;
      const strict = strictRequestSchema(inner);
      return strict === inner ? schema : copy({ innerType: strict });
    }
  }
}

/**
 * fastify-type-provider-zod's validator, over the strict copy for a route's body and querystring (path parameters
 * and headers are validated as declared).
 */
export const strictRequestValidatorCompiler: FastifySchemaCompiler<Schema> = (route) =>
  validatorCompiler(
    route.httpPart === 'body' || route.httpPart === 'querystring'
      ? { ...route, schema: strictRequestSchema(route.schema) }
      : route,
  );

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The body of an API change that takes none: nothing, or `{}` (strict like every body: any key is refused).
 * Nullish: Fastify validates a request without a body as `null`.
 */
export const ZNoBody = z
  .object({})
  .nullish()
  .describe('This request takes no body: send none, or {}; any key is refused')
  .meta({ id: 'NoBody' });
/** As the document names it: the request side of a schema with an id is `<id>Input` when the two differ. */
const NO_BODY_REFS = new Set(['#/components/schemas/NoBody', '#/components/schemas/NoBodyInput']);

/**
 * An `onRoute` hook: an API route that changes something (POST, PUT, PATCH, DELETE) and declares no body (nor an
 * upload's `consumes`) gets `ZNoBody`, so that a body with keys is refused (400 naming each) instead of ignored,
 * as with every route that has a body (`POST /api/calendar-feeds {"name": "phone"}` made a feed without a name
 * and said nothing). Fastify validates a body only against a schema, so the route must have one.
 */
export function declareNoBody(route: RouteOptions): void {
  if (!route.url.startsWith('/api/')) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (!methods.some((method) => BODY_METHODS.has(method))) return;
  const schema = route.schema ?? {};
  if (schema.body !== undefined || (schema as { consumes?: unknown }).consumes !== undefined) return;
  route.schema = { ...schema, body: ZNoBody };
}

type JsonSchema = Record<string, unknown>;

const isJsonSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Writes `additionalProperties: false` into every object of every JSON request body in an OpenAPI document (the
 * routes' inline schemas and the components they refer to), as the server refuses unknown keys there. Zod writes
 * it for the answers already; for the input side it leaves objects open. An object that names what else it takes
 * (a catchall, a record's values) keeps that. A body that is `NoBody` (`declareNoBody`) is marked not required
 * (@fastify/swagger marks every body required).
 */
export function closeRequestBodies<T extends { paths?: unknown; components?: unknown }>(document: T): T {
  const components = ((document.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ??
    {}) as Record<string, unknown>;
  const visited = new Set<unknown>();
  const close = (schema: unknown): void => {
    if (!isJsonSchema(schema) || visited.has(schema)) return;
    visited.add(schema);
    const ref = schema.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/'))
      close(components[decodeURIComponent(ref.slice('#/components/schemas/'.length))]);
    const properties = schema.properties;
    if (
      (schema.type === 'object' || isJsonSchema(properties)) &&
      schema.additionalProperties === undefined &&
      schema.propertyNames === undefined &&
      schema.patternProperties === undefined
    )
      schema.additionalProperties = false;
    if (isJsonSchema(properties)) for (const value of Object.values(properties)) close(value);
    for (const key of ['items', 'additionalProperties', 'not', 'contains'] as const) close(schema[key]);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
      const list = schema[key];
      if (Array.isArray(list)) for (const entry of list) close(entry);
    }
  };
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const item of Object.values(paths))
    for (const operation of Object.values(item)) {
      const body = (
        operation as { requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> } }
      )?.requestBody;
      const schema = body?.content?.['application/json']?.schema;
      if (body && isJsonSchema(schema) && NO_BODY_REFS.has(String(schema.$ref))) body.required = false;
      close(schema);
    }
  return document;
}
