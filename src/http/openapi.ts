// The HTTP contract, made from the code: every route declares the zod schemas it parses its input with and
// those of its answers (contract/schemas.ts); @fastify/swagger with fastify-type-provider-zod turns them into
// an OpenAPI 3.1 document at GET /openapi.json, rendered at GET /docs. With VALIDATE_RESPONSES (the tests)
// every answer is checked against its declared schema, so the document cannot drift from what is served.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import { describeZodError } from '../platform/errors.ts';
import { errorSchema } from '../contract/schemas.ts';

export type Audience = 'public' | 'admin-key' | 'person' | 'bot' | 'channel';

export interface RouteDoc {
  tags: string[];
  summary: string;
  description?: string;
  /** Who may call it, in words (shown in the document). */
  access: string;
  body?: ZodType;
  querystring?: ZodType;
  params?: ZodType;
  response: Record<number, ZodType | null>;
  /** The credentials it takes: a bearer token or bot key (default), the operator's admin key, a channel's signature, none. */
  security?: 'bearer' | 'admin-key' | 'signature' | 'none';
}

const ERRORS = [400, 401, 403, 404, 409, 413, 429, 500];
const NO_CONTENT = z.null().describe('no content');

/** Route options with the schemas that document (and, in tests, check) it. */
export function doc(spec: RouteDoc): { schema: FastifySchema } {
  const response: Record<number, unknown> = {};
  for (const [status, schema] of Object.entries(spec.response)) response[Number(status)] = schema ?? NO_CONTENT;
  for (const status of ERRORS) response[status] ??= errorSchema;
  const security = spec.security ?? 'bearer';
  return {
    schema: {
      tags: spec.tags, summary: spec.summary, description: [spec.description, `Who: ${spec.access}.`].filter(Boolean).join('\n\n'),
      ...(spec.body ? { body: spec.body } : {}), ...(spec.querystring ? { querystring: spec.querystring } : {}), ...(spec.params ? { params: spec.params } : {}),
      response,
      security: security === 'none' ? [] : [{ [security === 'bearer' ? 'bearer' : security === 'admin-key' ? 'adminKey' : 'signature']: [] }],
    } as FastifySchema,
  };
}

const isZod = (schema: unknown): schema is ZodType => typeof (schema as ZodType | undefined)?.safeParse === 'function';

export async function registerOpenApi(app: FastifyInstance, options: { validateResponses: boolean }): Promise<void> {
  // Inputs are parsed by the routes themselves, with these same schemas (errors in this API's own shape).
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => (data) => {
    if (options.validateResponses && isZod(schema)) {
      const checked = schema.safeParse(data);
      if (!checked.success) throw new Error(`${method} ${url} ${httpStatus}: the answer does not match its schema: ${describeZodError(checked.error)}`);
    }
    return JSON.stringify(data);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard HTTP API',
        version: '1',
        description: 'The real-time side (Socket.IO events, rooms, acknowledgements) is described in docs/realtime.md. '
          + 'Errors are `{error: {code, message}}` with the codes of the schema `Error`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: "A person's access token (JWT) or a bot's API key (sbk_…)." },
          adminKey: { type: 'apiKey', in: 'header', name: 'x-admin-key', description: 'The operator\'s ADMIN_KEY.' },
          signature: {
            type: 'apiKey', in: 'header', name: 'x-switchboard-signature',
            description: 'A channel\'s signature with its inbox\'s webhook secret: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` '
              + 'for inbound messages; `t=<unix seconds>,v2=<hex HMAC-SHA256 of "<t>.<METHOD> <path>.<raw body>">` for status reports. '
              + '`t` must be within 300 s of the server\'s clock.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } as FastifySchema }, async () => app.swagger());
}
