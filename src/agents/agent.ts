/** One Claude Code subagent, loaded from a Markdown file with front matter. */
export interface Agent {
  name: string;
  description: string;
  /** The model id requests are sent with, after resolving `inherit` and the short aliases. */
  model: string;
  /** The model as written in the file (`inherit` when the file names none), e.g. 'sonnet' or a full id. */
  modelSetting: string;
  /** Tool names from the file; empty when the file names none. */
  tools: string[];
  color?: string;
  /** Emoji name, without colons, that asks this agent for a review. */
  reaction?: string;
  systemPrompt: string;
  /** Absolute path of the file the agent came from. */
  file: string;
}

/** What `inherit` and the short model aliases (sonnet, opus, haiku) resolve to. */
export interface ModelSettings {
  defaultModel: string;
  aliases: Record<string, string>;
}
