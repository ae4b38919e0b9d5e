import type { Severity, Verdict } from '../domain/review';

export const VERDICT_LABELS: Record<Verdict, { emoji: string; label: string }> = {
  sound: { emoji: ':white_check_mark:', label: 'Sound' },
  sound_with_changes: { emoji: ':large_yellow_circle:', label: 'Sound with changes' },
  rethink: { emoji: ':octagonal_sign:', label: 'Rethink' },
};

export const SEVERITY_LABELS: Record<Severity, { emoji: string; label: string }> = {
  blocker: { emoji: ':red_circle:', label: 'Blocker' },
  major: { emoji: ':large_orange_circle:', label: 'Major' },
  minor: { emoji: ':white_circle:', label: 'Minor' },
};
