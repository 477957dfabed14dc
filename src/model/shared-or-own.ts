// What people save for reuse (canned responses, macros) is shared with the tenant (no owner), which only
// supervisors and admins make and change, or one person's own. One rule for both, in one place.
import { hasRole, type Principal } from '../platform/auth/principal.ts';
import { AppError } from '../platform/errors.ts';

/** The filter for what a person sees: shared ones and their own (`null`: shared ones only). */
export const sharedOrOwnedBy = (userId: string | null) => ({ $or: [{ owner: null }, { owner: userId }] });

/** `what`: the plural the refusal names ("canned responses", "macros"). */
export function assertMayShare(principal: Principal, shared: boolean, what: string): void {
  if (shared && !hasRole(principal, ['supervisor+'])) throw AppError.forbidden(`only supervisors and admins share ${what}`);
}

/** Owners change their own; supervisors and admins change shared ones. */
export function assertMayChange(principal: Principal, item: { owner?: string | null }, what: string): void {
  if ((item.owner ?? null) === null && !hasRole(principal, ['supervisor+'])) throw AppError.forbidden(`only supervisors and admins change shared ${what}`);
}
