import { suggestion } from '../did-you-mean.js';
import { asArray, asRecord, asString, type Rule } from './rule.js';

/** unknown-reference for roles that do not exist; role-without-members for a manual step nobody could approve. */
export const rolesRule: Rule = {
  name: 'roles',
  check(ctx) {
    const roles = asRecord(ctx.data.roles) ?? {};
    const names = Object.keys(roles);
    const check = (role: string, path: (string | number)[], what: string, approvals: unknown) => {
      if (!Object.hasOwn(roles, role)) {
        ctx.report({ code: 'unknown-reference', path, message: `${what}: unknown role "${role}"${suggestion(role, names)}`, hint: names.length ? `roles: ${names.join(', ')}` : 'declare it under roles: with its members' });
        return;
      }
      const members = asArray(asRecord(roles[role])?.members);
      if (members.length === 0) {
        ctx.report({ code: 'role-without-members', path, message: `${what}: role "${role}" has no members, so nobody could approve`, hint: `add members under roles.${role}.members` });
      } else if (typeof approvals === 'number' && approvals > members.length) {
        ctx.report({ code: 'role-without-members', path, message: `${what}: needs ${approvals} approvals but role "${role}" has ${members.length} member${members.length === 1 ? '' : 's'}` });
      }
    };
    for (const step of ctx.steps) {
      const manual = asRecord(step.raw.manual);
      const role = asString(manual?.role);
      if (manual && role !== undefined) check(role, [...step.path, 'manual', 'role'], `step "${step.id ?? '?'}"`, manual.approvals);
    }
    const approvalRole = asString(asRecord(asRecord(ctx.data.migrations)?.require)?.['approval-role']);
    if (approvalRole !== undefined) check(approvalRole, ['migrations', 'require', 'approval-role'], 'migrations.require.approval-role', undefined);
  },
};
