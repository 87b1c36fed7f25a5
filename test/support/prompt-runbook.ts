/**
 * A release with a manual step alice@example.com may decide at the prompt: `deploy`, then `check`
 * (one checklist item), then `after` (touches after.txt), and a rollback step that touches
 * rolled-back.txt.
 */
export const PROMPT_RUNBOOK = `version: 1
name: prompts
roles:
  administrator: { members: [alice@example.com] }
environments:
  prod: {}
phases:
  - id: release
    steps:
      - { id: deploy, run: echo deployed }
      - id: check
        manual: { role: administrator, checklist: [Login works] }
      - { id: after, run: touch after.txt }
rollback:
  steps:
    - { id: back, run: touch rolled-back.txt }
`;
