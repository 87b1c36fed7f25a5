/**
 * Common token shapes, a small curated set inspired by gitleaks' rules
 * (https://github.com/gitleaks/gitleaks, config/gitleaks.toml). Deliberately few and specific:
 * each one has a low false-positive rate; the generic rule needs an assignment to a secret-ish
 * name and a high-entropy value.
 */
export interface TokenShape {
  readonly id: string;
  readonly description: string;
  readonly regex: RegExp;
  /** For the generic rule: minimum Shannon entropy of capture group 1. */
  readonly minEntropy?: number;
}

export const TOKEN_SHAPES: readonly TokenShape[] = [
  { id: 'aws-access-key-id', description: 'AWS access key id', regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { id: 'github-token', description: 'GitHub token', regex: /\b(?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36}\b|\bgithub_pat_[0-9A-Za-z_]{82}\b/ },
  { id: 'private-key', description: 'private key header', regex: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/ },
  { id: 'slack-token', description: 'Slack token', regex: /\bxox[baprs]-[0-9A-Za-z-]{10,}\b/ },
  { id: 'slack-webhook', description: 'Slack webhook URL', regex: /https:\/\/hooks\.slack\.com\/services\/T[0-9A-Z]+\/B[0-9A-Z]+\/[0-9A-Za-z]+/ },
  { id: 'jwt', description: 'JSON Web Token', regex: /\beyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}\b/ },
  {
    id: 'generic-secret-assignment',
    description: 'high-entropy value assigned to a secret-like name',
    regex: /(?:secret|token|passw(?:or)?d|api[_-]?key|private[_-]?key)[A-Za-z0-9_]*["']?\s*[:=]\s*["']?([0-9A-Za-z+/=_\-]{20,})/i,
    minEntropy: 4,
  },
];
