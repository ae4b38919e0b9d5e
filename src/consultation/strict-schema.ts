/**
 * A JSON schema as strict tool use takes it: the API constrains Claude's sampling to the schema, which
 * needs `additionalProperties: false` on every object and accepts no length or count limits
 * (minLength, maxLength, maxItems, minItems above 1, numeric bounds). Such a limit moves into the
 * description, where Claude still reads it; zod checks it again when the answer is parsed.
 */
const UNSUPPORTED = [
  'minLength',
  'maxLength',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minProperties',
  'maxProperties',
] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function strictSchema(schema: Json): Json {
  const out: Json = {};
  const limits: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if ((UNSUPPORTED as readonly string[]).includes(key)) limits.push(`${key} ${String(value)}`);
    else if (key === 'minItems' && typeof value === 'number' && value > 1) limits.push(`minItems ${value}`);
    else if (key === 'properties' && isObject(value))
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, isObject(v) ? strictSchema(v) : v]),
      );
    else if (Array.isArray(value)) out[key] = value.map((v) => (isObject(v) ? strictSchema(v) : v));
    else if (isObject(value)) out[key] = strictSchema(value);
    else out[key] = value;
  }
  if (out.type === 'object') out.additionalProperties = false;
  if (limits.length > 0) {
    const description = typeof out.description === 'string' ? `${out.description} ` : '';
    out.description = `${description}(${limits.join(', ')})`;
  }
  return out;
}
