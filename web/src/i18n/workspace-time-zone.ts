import { createContext, useContext } from 'react';

/**
 * The workspace's time zone (its settings, default Asia/Shanghai), the clock every moment the app shows is
 * written on: created and updated times, stage history, import jobs, feeds, as the agenda and the touch times
 * are. Provided once by the app frame (components/AppLayout.tsx); undefined until the settings are loaded, and
 * the browser's own zone is used meanwhile.
 */
export const WorkspaceTimeZone = createContext<string | undefined>(undefined);

/** The workspace's time zone, or undefined while the settings are not loaded (see WorkspaceTimeZone). */
export function useWorkspaceTimeZone(): string | undefined {
  return useContext(WorkspaceTimeZone);
}
