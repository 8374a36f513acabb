#!/usr/bin/env bash
# The step behind action.yml: annotations on the fact files, an optional SARIF
# log, and a Markdown job summary. The exit code of `factlang check` goes to
# the step output `exit-code`; action.yml fails the job with it after the
# SARIF upload, so that code scanning sees the results of a failing run too.
#
# Inputs (environment): FACTLANG_PATHS, FACTLANG_ARGS (split on spaces),
# FACTLANG_SARIF (a file to write, or empty), GITHUB_STEP_SUMMARY, GITHUB_OUTPUT.
set -u

read -r -a paths <<< "${FACTLANG_PATHS:-}"
read -r -a extra <<< "${FACTLANG_ARGS:-}"
factlang="${FACTLANG_COMMAND:-factlang}"

status=0
"$factlang" check --format github "${extra[@]}" "${paths[@]}" || status=$?

if [ -n "${FACTLANG_SARIF:-}" ]; then
    "$factlang" check --format sarif -o "$FACTLANG_SARIF" "${extra[@]}" "${paths[@]}" || true
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    "$factlang" check --format markdown "${extra[@]}" "${paths[@]}" >> "$GITHUB_STEP_SUMMARY" || true
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "exit-code=$status" >> "$GITHUB_OUTPUT"
fi
exit 0
