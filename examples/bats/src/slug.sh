#!/usr/bin/env bash
# Prints a product name as a URL-safe slug. Only the label tests use this script.
set -euo pipefail

printf '%s\n' "$1" | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9]+/-/g; s/^-+|-+$//g'
