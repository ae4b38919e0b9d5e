/** What a command reads and writes, handed in so tests and the entry point give it the real ones. */
export interface CliIO {
  env: NodeJS.ProcessEnv;
  /** Where relative paths start. */
  cwd: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}
