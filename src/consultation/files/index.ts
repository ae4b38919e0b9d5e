/** Files shared in a thread, read for a consultation within its budget. */
export { type FileResult, isRead, type ReadFile } from './file-blocks';

import type { FileResult } from './file-blocks';
import type { SlackFile } from './which-files';

export { type FileLimits, parseSlackFiles, type SlackFile, type UnreadFile } from './which-files';

/** Reads shared files within a token budget; Slack's implementation is slack/files/thread-file-reader.ts. */
export interface SharedFileReader {
  readAll(files: SlackFile[], tokenBudget: number): Promise<FileResult[]>;
}
