#!/usr/bin/env bash
# The action's one step (action.yml): `architect pr-review` from the published package, with the
# action's inputs (INPUT_* variables) as its options. Exits with pr-review's code: 1 failed, 2 a finding
# at or above fail-on.
set -euo pipefail

# v1 → 1 (the newest 1.x), v1.2.3 → 1.2.3; a branch or a commit → the newest release.
version="${INPUT_VERSION:-}"
if [ -z "$version" ]; then
  if [[ "${ACTION_REF:-}" =~ ^v?([0-9]+(\.[0-9]+){0,2})$ ]]; then
    version="${BASH_REMATCH[1]}"
  else
    version="latest"
  fi
fi

args=(pr-review --paths "${INPUT_PATHS:-}")
[ -n "${INPUT_AGENT:-}" ] && args+=(--agent "$INPUT_AGENT")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_MODEL:-}" ] && args+=(--model "$INPUT_MODEL")
case "${INPUT_ADRS:-}" in
  '') ;;
  none) args+=(--no-adrs) ;;
  *) args+=(--adrs "$INPUT_ADRS") ;;
esac
# An empty AGENTS_DIR means the agents Architect ships with.
[ -z "${AGENTS_DIR:-}" ] && unset AGENTS_DIR

exec npx --yes "@architect-review/architect@$version" "${args[@]}"
