// The shortcut that starts a discussion on the selection. Strg+Alt+letter
// is AltGr on German Windows keyboards (AltGr+M types µ), and Option+letter
// types characters on macOS, so the shortcut is Alt+Shift+K (Option+Shift+K
// on a Mac): it types nothing on Windows and Linux, is used neither by
// browsers nor by screen readers (they use Insert or CapsLock), and is not
// in CodeMirror's keymap. The key is matched by its position (code) as well
// as its letter, so layouts whose Option+Shift+K gives a symbol still work.

/** The shortcut in the notation of aria-keyshortcuts. */
export const START_THREAD_KEYS = 'Alt+Shift+K';

/** The modifier and key state of a keyboard event that matters here. */
export type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey'>;

/** True when the event is the start-thread shortcut. */
export function isStartThreadKey(ev: KeyLike): boolean {
  if (!ev.altKey || !ev.shiftKey || ev.ctrlKey || ev.metaKey) return false;
  return ev.code === 'KeyK' || ev.key === 'K' || ev.key === 'k';
}
