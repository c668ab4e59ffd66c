import { Navigate } from 'react-router';
import { useAuthStatus } from '../../api/auth.ts';
import { homePathFor } from '../../navigation.ts';

/** `/` (where sign-in lands): managers and admins start on the dashboard, reps on Today. */
export function HomeRedirect() {
  const status = useAuthStatus();
  // Inside the session gate the status is loaded; the role decides.
  return <Navigate to={homePathFor(status.data?.user?.role)} replace />;
}
