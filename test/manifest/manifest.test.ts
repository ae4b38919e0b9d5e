import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
// Exactly the bot scopes Architect needs (OAuth installs ask for these): change both together.
import { BOT_SCOPES } from '../../src/installations/bot-scopes';

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA_DIR = path.join(__dirname, 'manifest-schema');

/** The URLs manifest.schema.json uses in its $refs; the sub-schemas carry no $id of their own. */
const SUB_SCHEMAS = {
  'manifest.schema.1.0.0.json':
    'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.1.0.0.json',
  'manifest.schema.2.0.0.json':
    'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.2.0.0.json',
};

interface Manifest {
  display_information?: { name?: string };
  features?: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    slash_commands?: { command: string; url?: string }[];
    agent_view?: { agent_description?: string; suggested_prompts?: { title: string; message: string }[] };
    shortcuts?: { name: string; type: string; callback_id: string }[];
  };
  oauth_config?: { scopes?: { bot?: unknown[] } };
  settings?: {
    event_subscriptions?: { bot_events?: string[] };
    interactivity?: { is_enabled?: boolean };
    socket_mode_enabled?: boolean;
  };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
}

/** Slack's published schema, compiled as it is: draft-07, with the version-specific schemas added by their $ref URLs. */
function compileSlackSchema(): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true,
    // The schema omits `type: "object"` beside `properties`/`required` in a few places; that is valid draft-07.
    strictTypes: false,
    // `$schema` is the only property with a format; there is no ajv-formats here, so check it with URL.
    formats: { uri: (value: string) => URL.canParse(value) },
  });
  // Slack's comments beside some properties: annotations, not constraints.
  ajv.addKeyword({ keyword: '_note', schemaType: 'string' });
  // Slack's schema spells a pattern as the non-standard keyword `regex` (background_color); enforce it as one.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  for (const [file, id] of Object.entries(SUB_SCHEMAS)) ajv.addSchema(readJson(file), id);
  return ajv.compile(readJson('manifest.schema.json'));
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    .join('\n');
}

function loadManifest(): Manifest {
  return parse(readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;
}

/** The commented-out block that connects Slackbot's MCP client to POST /mcp, as a person uncomments it. */
function mcpServersBlock(): Record<string, unknown> {
  const lines = readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8').split('\n');
  const start = lines.indexOf('# mcp_servers:');
  if (start < 0) throw new Error('manifest.yml has no commented-out mcp_servers block');
  const block = lines
    .slice(start)
    .filter((l) => l.startsWith('# '))
    .map((l) => l.slice(2));
  return parse(block.join('\n')) as Record<string, unknown>;
}

describe('manifest.yml', () => {
  const validate = compileSlackSchema();
  const manifest = loadManifest();

  it('shows how Slackbot reaches /mcp with a bearer token, in a block valid against Slack’s schema once uncommented', () => {
    const block = mcpServersBlock();
    expect(block).toEqual({
      mcp_servers: {
        architect: {
          url: 'https://YOUR_HOST/mcp',
          auth_type: 'no_auth',
          headers: { Authorization: 'Bearer YOUR_MCP_TOKEN' },
        },
      },
    });
    const valid = validate({ ...manifest, ...block });
    if (!valid) throw new Error(describeErrors(validate.errors));
    expect(valid).toBe(true);
  });

  it("is valid against Slack's app manifest schema", () => {
    const valid = validate(manifest);
    if (!valid)
      throw new Error(`manifest.yml does not match Slack's schema:\n${describeErrors(validate.errors)}`);
    expect(valid).toBe(true);
  });

  it('declares /architect, without a URL in Socket Mode', () => {
    const commands = manifest.features?.slash_commands ?? [];
    const architect = commands.find((c) => c.command === '/architect');
    expect(architect).toBeDefined();
    expect(architect?.url).toBeUndefined();
  });

  it('subscribes to app_mention, reaction_added and app_home_opened', () => {
    expect(manifest.settings?.event_subscriptions?.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'reaction_added', 'app_home_opened']),
    );
  });

  it('receives direct messages: the Messages tab is on and message.im is subscribed', () => {
    expect(manifest.features?.app_home?.messages_tab_enabled).toBe(true);
    expect(manifest.settings?.event_subscriptions?.bot_events).toEqual(
      expect.arrayContaining(['message.im', 'app_context_changed']),
    );
  });

  it('lives in the agent view with a description and 2 to 4 suggested prompts', () => {
    const view = manifest.features?.agent_view;
    expect(view?.agent_description).toMatch(/architect/i);
    const prompts = view?.suggested_prompts ?? [];
    expect(prompts.length).toBeGreaterThanOrEqual(2);
    expect(prompts.length).toBeLessThanOrEqual(4);
    expect(prompts.map((p) => p.title)).toEqual(
      expect.arrayContaining(['Review a design', 'Threat-model this', 'Compare two options']),
    );
  });

  it('declares the "Review with Architect" message shortcut', () => {
    expect(manifest.features?.shortcuts).toEqual([
      expect.objectContaining({
        name: 'Review with Architect',
        type: 'message',
        callback_id: 'review_with_architect',
      }),
    ]);
  });

  it('turns on the Home tab', () => {
    expect(manifest.features?.app_home?.home_tab_enabled).toBe(true);
  });

  it('turns on interactivity and Socket Mode', () => {
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
    expect(manifest.settings?.socket_mode_enabled).toBe(true);
  });

  it('asks for exactly the bot scopes Architect needs', () => {
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    expect([...scopes].sort()).toEqual([...BOT_SCOPES].sort());
    expect(new Set(scopes).size).toBe(scopes.length);
  });
});

describe("Slack's manifest schema", () => {
  const validate = compileSlackSchema();
  const copy = (): Manifest => structuredClone(loadManifest());

  it('rejects a manifest without display_information.name', () => {
    const manifest = copy();
    delete manifest.display_information?.name;
    expect(validate(manifest)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          instancePath: '/display_information',
          keyword: 'required',
          params: { missingProperty: 'name' },
        }),
      ]),
    );
  });

  it('rejects a scope that is not a string', () => {
    const manifest = copy();
    manifest.oauth_config?.scopes?.bot?.push(42);
    expect(validate(manifest)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          instancePath: `/oauth_config/scopes/bot/${BOT_SCOPES.length}`,
          keyword: 'type',
        }),
      ]),
    );
  });

  it('rejects a misspelt setting and a malformed background colour', () => {
    const misspelt = copy() as Manifest & { settings: Record<string, unknown> };
    misspelt.settings.socket_mode_enable = true;
    expect(validate(misspelt)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          instancePath: '/settings',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'socket_mode_enable' },
        }),
      ]),
    );

    const colour = copy() as Manifest & { display_information: Record<string, unknown> };
    colour.display_information.background_color = 'navy';
    expect(validate(colour)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instancePath: '/display_information/background_color', keyword: 'regex' }),
      ]),
    );
  });
});
