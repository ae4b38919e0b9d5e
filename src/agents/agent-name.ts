/**
 * The form of an agent name that `--agent` and DEFAULT_AGENT also accept: lower case, accents dropped,
 * every run of other characters than letters and digits one `-`. `Startup CTO` → `startup-cto`,
 * `dotnet-framework-4.8-expert` → `dotnet-framework-4-8-expert`. Lets a name with spaces be typed without
 * quotes.
 */
export function agentSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** Whether someone asking for `query` means the agent called `name`: same name, ignoring case, or same slug. */
export function namesAgent(query: string, name: string): boolean {
  const q = query.trim();
  if (q.toLowerCase() === name.toLowerCase()) return true;
  const slug = agentSlug(q);
  return slug !== '' && slug === agentSlug(name);
}
