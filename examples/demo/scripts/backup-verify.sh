#!/usr/bin/env bash
# Stands in for a real backup-verify wrapper that reports failure but exits 0.
echo "checking backup storage/backups/2026-11-20.zip"
echo "verification FAILED: checksum mismatch in selenite.db"
exit 0
