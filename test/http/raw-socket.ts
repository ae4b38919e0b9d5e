import { connect, type Socket } from 'node:net';

/** What a raw client saw: everything the server sent, and whether the server closed the connection. */
export interface RawConnection {
  socket: Socket;
  /** All bytes received so far, as text. */
  received(): string;
  /** Resolves once the received text contains `text` (or matches it). */
  waitFor(text: string | RegExp): Promise<string>;
  /** Resolves with everything received once the server has closed the connection. */
  closed: Promise<string>;
}

/**
 * Opens a TCP connection to a local port and writes `head` exactly as given: for requests no HTTP
 * client will send (headers never finished, a body that never comes).
 */
export async function rawConnect(port: number, head: string): Promise<RawConnection> {
  const socket = connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let data = '';
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
    for (const listener of listeners) listener();
  });
  // The server resetting the connection counts as closing it.
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(data)));
  socket.write(head);
  return {
    socket,
    received: () => data,
    waitFor: (text) =>
      new Promise((resolve) => {
        const check = () => {
          if (typeof text === 'string' ? !data.includes(text) : !text.test(data)) return;
          listeners.delete(check);
          resolve(data);
        };
        listeners.add(check);
        check();
      }),
    closed,
  };
}
