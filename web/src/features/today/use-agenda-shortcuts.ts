import { useEffect, useRef } from 'react';
import type { QuickOutcome } from '../touches/outcomes.ts';

export interface AgendaShortcutHandlers {
  /** Moves focus to the next (+1) or previous (-1) item. */
  move: (step: 1 | -1) => void;
  /** The item holding focus (the item itself or a control inside it), if any. */
  focusedIndex: () => number | null;
  quickLog: (index: number, outcome: QuickOutcome) => void;
  openForm: (index: number) => void;
  openAccount: (index: number) => void;
  previousDay: () => void;
  nextDay: () => void;
  today: () => void;
  toggleHelp: () => void;
}

const QUICK_KEYS: Record<string, QuickOutcome> = { '1': 'reached', '2': 'no_answer', '3': 'meeting_booked' };

/** Typing in a field, or working in a dialog or a list box, keeps its keys. */
function keysBelongElsewhere(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    target.closest(
      'input, textarea, select, [role="combobox"], [role="listbox"], [role="dialog"], [role="menu"]',
    ) != null
  );
}

/**
 * The agenda's keys, for a rep working through the list without a mouse: j/k (or ↓/↑ on an item) move,
 * 1/2/3 log the focused item's quick outcomes, Enter opens its form, o its account page; [ and ] change the
 * day, t goes back to today, ? lists the keys. Off while `enabled` is false (a form is open).
 */
export function useAgendaShortcuts(handlers: AgendaShortcutHandlers, enabled: boolean): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    if (!enabled) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (keysBelongElsewhere(event.target)) return;
      const h = ref.current;
      const focused = h.focusedIndex();
      const onItem =
        focused != null && event.target instanceof HTMLElement && event.target.matches('.agenda-item');
      let handled = true;
      switch (event.key) {
        case 'j':
          h.move(1);
          break;
        case 'k':
          h.move(-1);
          break;
        case 'ArrowDown':
        case 'ArrowUp':
          // Arrows scroll the page unless focus is on an item.
          if (!onItem) return;
          h.move(event.key === 'ArrowDown' ? 1 : -1);
          break;
        case '1':
        case '2':
        case '3':
          if (focused == null) return;
          h.quickLog(focused, QUICK_KEYS[event.key] as QuickOutcome);
          break;
        case 'Enter':
          // On a button or link inside the item, Enter keeps its usual meaning.
          if (!onItem || focused == null) return;
          h.openForm(focused);
          break;
        case 'o':
          if (focused == null) return;
          h.openAccount(focused);
          break;
        case '[':
          h.previousDay();
          break;
        case ']':
          h.nextDay();
          break;
        case 't':
          h.today();
          break;
        case '?':
          h.toggleHelp();
          break;
        default:
          handled = false;
      }
      if (handled) event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
