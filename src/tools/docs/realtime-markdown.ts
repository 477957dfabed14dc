// docs/realtime.md from realtime/spec.ts: every event, its payload and acknowledgement as TypeScript-like
// types made from the same zod schemas the handlers parse, the rooms, and the error codes. Named shapes
// (Conversation, Message…) are those of the OpenAPI document's components.
import { z, type ZodType } from 'zod';
import { COMMANDS, EVENTS, ROOMS } from '../../../realtime/spec.ts';
import { ERROR_STATUS } from '../../contract/error-codes.ts';

type Json = Record<string, unknown>;

/** A JSON Schema (as zod writes it) as a short TypeScript-like type. */
function typeOf(schema: Json, depth = 0): string {
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map((s) => typeOf(s, depth)).join(' | ');
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as Json[]).map((s) => typeOf(s, depth)).join(' | ');
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v).replace(/"/g, "'")).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const).replace(/"/g, "'");
  // {type: ['string', 'null']}: one type per member.
  if (Array.isArray(schema.type)) return (schema.type as string[]).map((type) => typeOf({ ...schema, type }, depth)).join(' | ');
  switch (schema.type) {
    case 'string': return schema.format === 'uuid' ? 'uuid' : schema.format === 'date-time' ? 'ISO time' : 'string';
    case 'integer': return 'integer';
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': {
      const items = typeOf(schema.items as Json, depth);
      return /[|{ ]/.test(items) ? `(${items})[]` : `${items}[]`;
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const required = new Set((schema.required ?? []) as string[]);
      const keys = Object.keys(props);
      if (!keys.length) return schema.additionalProperties && schema.additionalProperties !== false ? `Record<string, ${typeOf(schema.additionalProperties as Json)}>` : '{}';
      const pad = '  '.repeat(depth + 1);
      const fields = keys.map((k) => `${pad}${k}${required.has(k) ? '' : '?'}: ${typeOf(props[k], depth + 1)};${props[k].description ? ` // ${props[k].description}` : ''}`);
      return `{\n${fields.join('\n')}\n${'  '.repeat(depth)}}`;
    }
    default: return 'unknown';
  }
}

function shape(schema: ZodType, io: 'input' | 'output'): { type: string; defs: Record<string, Json> } {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return { type: typeOf(json), defs: (json.$defs ?? {}) as Record<string, Json> };
}

export function renderRealtimeDocs(): string {
  const defs: Record<string, Json> = {};
  const block = (schema: ZodType, io: 'input' | 'output') => {
    const { type, defs: found } = shape(schema, io);
    Object.assign(defs, found);
    return '```ts\n' + type + '\n```';
  };
  const out: string[] = [
    '# Switchboard real-time contract (Socket.IO)',
    '',
    '<!-- Generated from realtime/spec.ts by `npm run docs`; a test fails when this file and the code differ. -->',
    '',
    'Connect with socket.io-client to the server\'s URL (namespace `/`, websocket transport; polling is allowed):',
    '`io(url, { auth: { token } })`, where `token` is a person\'s access token or a bot\'s API key. A bad or missing token fails the',
    'handshake with `connect_error` whose `message` is `UNAUTHORIZED`; a user holding the most sockets one node allows gets `RATE_LIMITED`.',
    'Browsers must come from the server\'s own origin or one of `ALLOWED_ORIGINS`.',
    '',
    'Every client→server event takes an acknowledgement callback and answers `{ok: true, data}` or `{ok: false, error: {code, message}}`.',
    'Rooms are joined by the server only. The HTTP API is in the OpenAPI document (`GET /openapi.json`, `docs/openapi.json`), whose',
    'components name the shapes below (`Conversation`, `Message`…).',
    '',
    'Rules clients depend on: a message is committed before anyone hears of it; `seq` is per conversation, starts at 1 and has no',
    'gaps (a client that sees a gap, reconnects or hears `resync` calls `conversation:sync` with the last seq it holds); a repeated',
    '`clientMessageId` answers the original to its own sender and broadcasts nothing; `typing` is never stored.',
    '',
    '## Client → server',
    '',
  ];
  for (const [event, spec] of Object.entries(COMMANDS)) {
    out.push(`### \`${event}\``, '', spec.summary, '', `Who: ${spec.who}.`, '', 'Payload:', '', block(spec.payload, 'input'), '', 'Acknowledgement `data`:', '', block(spec.ack, 'output'), '');
  }
  out.push('## Server → client', '');
  for (const [event, spec] of Object.entries(EVENTS)) {
    out.push(`### \`${event}\``, '', spec.summary, '', `Rooms: ${spec.rooms}.`, '', block(spec.payload, 'output'), '');
  }
  out.push('## Rooms', '', '| room | who is in it |', '|---|---|', ...ROOMS.map(([room, who]) => `| \`${room}\` | ${who} |`), '');
  out.push('## Error codes', '', 'In a failed acknowledgement and in every HTTP error body (with this HTTP status):', '', '| code | HTTP |', '|---|---|',
    ...Object.entries(ERROR_STATUS).map(([code, status]) => `| \`${code}\` | ${status} |`), '');
  if (Object.keys(defs).length) {
    out.push('## Shapes', '');
    for (const [name, def] of Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))) out.push(`### ${name}`, '', '```ts\n' + typeOf(def) + '\n```', '');
  }
  return out.join('\n');
}
