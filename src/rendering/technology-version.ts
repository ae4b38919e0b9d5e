import type { GroundedTechnology } from '../domain/review';

/**
 * A version shown as fact only when the thread or a file stated it; one Claude supplied is shown as
 * unverified, because a version in a review lends authority to what may be a guess.
 */
export function technologyVersion(t: GroundedTechnology): { stated?: string; unverified?: string } {
  if (!t.version) return {};
  return t.versionStated ? { stated: t.version } : { unverified: t.version };
}
