import { LogLevel, WebClient } from '@slack/web-api';
import { SlackApiFake } from './slack-api-fake';

/**
 * Slack's external upload (files.getUploadURLExternal → POST the bytes to the upload URL →
 * files.completeUploadExternal), driven through the real WebClient's files.uploadV2, as the app uses it.
 */
describe('file uploads on the Slack fake', () => {
  let fake: SlackApiFake;
  let client: WebClient;

  beforeEach(async () => {
    fake = await SlackApiFake.start();
    client = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 0 },
    });
  });
  afterEach(() => fake.close());

  it('shares files.uploadV2’s file in the thread, with its comment, byte for byte', async () => {
    const root = fake.addMessage('C0DESIGN', { user: 'U0ALICE', text: 'Design' });
    const text = '# Use an outbox — ✓\n\nBody.\n';
    const result = await client.filesUploadV2({
      channel_id: 'C0DESIGN',
      thread_ts: root,
      file: Buffer.from(text, 'utf8'),
      filename: '0007-use-an-outbox.md',
      title: 'Use an outbox',
      initial_comment: 'Saved as an ADR',
    });

    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    expect(fake.callsTo('files.getUploadURLExternal')[0]?.params).toMatchObject({
      filename: '0007-use-an-outbox.md',
      length: String(Buffer.byteLength(text)),
    });
    const [uploaded] = fake.uploadedFiles;
    expect(uploaded?.content.toString('utf8')).toBe(text);
    expect(uploaded).toMatchObject({ title: 'Use an outbox', channel: 'C0DESIGN', thread_ts: root });
    const reply = fake.threadMessages('C0DESIGN', root)[1];
    expect(reply?.text).toBe('Saved as an ADR');
    expect(reply?.files).toEqual([
      expect.objectContaining({ id: uploaded?.id, name: '0007-use-an-outbox.md' }),
    ]);
    expect(JSON.stringify(result)).toContain(String(uploaded?.id));
  });

  it('answers like Slack: a missing filename, an id never uploaded, an unknown thread', async () => {
    const refused = (call: Promise<unknown>) =>
      call.then(
        () => 'ok',
        (e: { data?: { error?: string } }) => e.data?.error,
      );
    expect(await refused(client.files.getUploadURLExternal({ filename: '', length: 3 }))).toBe(
      'invalid_arguments',
    );
    const { file_id } = await client.files.getUploadURLExternal({ filename: 'a.md', length: 3 });
    expect(await refused(client.files.completeUploadExternal({ files: [{ id: String(file_id) }] }))).toBe(
      'file_not_found',
    );
    expect(
      await refused(
        client.filesUploadV2({
          channel_id: 'C0DESIGN',
          thread_ts: '1.000001',
          file: Buffer.from('x'),
          filename: 'a.md',
        }),
      ),
    ).toBe('invalid_thread_ts');
  });

  it('refuses the upload with missing_scope when told to, as for an app without files:write', async () => {
    fake.failNext('files.getUploadURLExternal', { error: 'missing_scope' });
    await expect(
      client.filesUploadV2({ channel_id: 'C0DESIGN', file: Buffer.from('x'), filename: 'a.md' }),
    ).rejects.toMatchObject({ data: { error: 'missing_scope' } });
    expect(fake.uploadedFiles).toEqual([]);
  });
});
