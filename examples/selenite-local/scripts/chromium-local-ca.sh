#!/usr/bin/env bash
# check/browser has no `ca` input (check/http and check/https-only do), so Chromium would refuse
# this app's private-CA certificate. Workaround, visible in the runbook: launch Chromium trusting
# exactly this server's key (its SPKI hash), nothing else.
here="$(cd "$(dirname "$0")/.." && pwd)"
spki=$(openssl x509 -in "$here/certs/server.pem" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
exec /usr/bin/chromium --ignore-certificate-errors-spki-list="$spki" "$@"
