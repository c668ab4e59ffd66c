import type { TRole } from '../../../../src/schemas/common.ts';
import { useAuthStatus } from '../../api/auth.ts';

// Who may change the workspace's rules (the target market, tiering, cadence, capacity, working days),
// mirroring the services' requireRole(['admin', 'manager'], …) in src/services/market.ts, plan.ts and
// workspace-settings.ts. The server checks every request anyway; this only keeps a rep from being shown an
// editor (and from sending requests) that can only fail.

export function canChangeWorkspaceRules(role: TRole | null | undefined): boolean {
  return role === 'admin' || role === 'manager';
}

/** The signed-in user may change the workspace's rules (inside the session gate the status is loaded). */
export function useCanChangeWorkspaceRules(): boolean {
  const auth = useAuthStatus();
  return canChangeWorkspaceRules(auth.data?.user?.role);
}
