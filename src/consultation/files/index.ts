/** Files shared in a thread, read for a consultation within its budget. */
export { type FileResult, isRead, type ReadFile } from './file-blocks';
export { ThreadFileReader } from './thread-file-reader';
export { type FileLimits, parseSlackFiles, type SlackFile, type UnreadFile } from './which-files';
