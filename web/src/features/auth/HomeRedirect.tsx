import { Navigate, useLocation } from 'react-router';
import { useAuthStatus } from '../../api/auth.ts';
import { homeTarget } from '../../navigation.ts';

/**
 * `/` (where sign-in lands): managers and admins start on the dashboard, reps on Today. The query goes along:
 * `/?date=2026-10-05` opens Today on that day (`homeTarget`).
 */
export function HomeRedirect() {
  const status = useAuthStatus();
  const { search } = useLocation();
  // Inside the session gate the status is loaded; the role decides.
  return <Navigate to={homeTarget(status.data?.user?.role, search)} replace />;
}
