/**
 * Downloads from Slack's file host with the bot token, without following redirects, into a buffer
 * that never grows past what the caller will keep: the rest of the body is not read.
 */

export interface DownloadLimits {
  /** A response declaring more than this (Content-Length) is refused unread. */
  maxBytes: number;
  /** Bytes kept at most; the download stops there. */
  keepBytes: number;
  timeoutMs: number;
}

export type Download =
  /** `complete` is false when the body went on past `keepBytes` and only its beginning was kept. */
  { bytes: Buffer; complete: boolean; contentType: string } | { tooLarge: true } | { reason: string };

/** Smallest buffer to start with when the size is unknown; it doubles as needed, up to the limit. */
const INITIAL_BUFFER_BYTES = 64 * 1024;

export async function downloadFile(
  url: string,
  token: string,
  limits: DownloadLimits,
  doFetch: typeof fetch = fetch,
): Promise<Download> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const res = await doFetch(url, {
      headers: { authorization: `Bearer ${token}` },
      // A redirect could lead anywhere; the bot token goes only to Slack's own hosts.
      redirect: 'manual',
      signal,
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      return { reason: 'redirected elsewhere (not followed)' };
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { reason: `download failed (HTTP ${res.status})` };
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await res.body?.cancel();
      return { tooLarge: true };
    }
    const read = await readBounded(res, limits.keepBytes, Number.isFinite(declared) ? declared : undefined);
    return { ...read, contentType: res.headers.get('content-type') ?? '' };
  } catch {
    return { reason: signal.aborted ? 'download timed out' : 'download failed' };
  }
}

/**
 * The body's first `limit` bytes, and whether that was all of it. The buffer is sized from the
 * declared length when there is one and grows by doubling otherwise, never past `limit`.
 */
async function readBounded(
  res: Response,
  limit: number,
  declared: number | undefined,
): Promise<{ bytes: Buffer; complete: boolean }> {
  const reader = res.body?.getReader();
  if (!reader) return { bytes: Buffer.alloc(0), complete: true };
  let buffer = Buffer.allocUnsafe(Math.min(limit, declared ?? INITIAL_BUFFER_BYTES));
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: buffer.subarray(0, length), complete: true };
    const room = limit - length;
    if (length + value.byteLength > buffer.length && buffer.length < limit) {
      const grown = Buffer.allocUnsafe(
        Math.min(limit, Math.max(buffer.length * 2, length + value.byteLength)),
      );
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const take = Math.min(value.byteLength, room);
    buffer.set(value.subarray(0, take), length);
    length += take;
    if (take < value.byteLength) {
      await reader.cancel();
      return { bytes: buffer.subarray(0, length), complete: false };
    }
  }
}
