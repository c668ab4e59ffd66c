import { lazy, Suspense, useState } from 'react';
import type { LogTouchModalProps } from './LogTouchModal.tsx';

const loadModal = () => import('./LogTouchModal.tsx');
const LogTouchModalChunk = lazy(() => loadModal().then((module) => ({ default: module.LogTouchModal })));

/** Fetches the log form's code ahead of the first "more" (Today asks once its agenda is on screen). */
export function preloadLogTouchModal(): void {
  void loadModal().catch(() => undefined);
}

/**
 * The log form (LogTouchModal) in its own chunk: its fields (select, radios, text areas) and their Mantine
 * components stay out of the first load of Today and the account page. Nothing renders until the form is first
 * opened; from then on it stays mounted, so closing keeps its transition and gives focus back.
 */
export function LazyLogTouchModal(props: LogTouchModalProps) {
  const [wanted, setWanted] = useState(false);
  if (props.target && !wanted) setWanted(true);
  if (!wanted && !props.target) return null;
  return (
    <Suspense fallback={null}>
      <LogTouchModalChunk {...props} />
    </Suspense>
  );
}
