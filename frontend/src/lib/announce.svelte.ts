// Messages for screen readers, read out politely by one live region in
// App.svelte. Messages are collected and released at most every few
// seconds so that a remote typist does not cause one announcement per key.

/** The text currently in the live region. */
export const announcer = $state({ text: '' });

let queue: string[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
const INTERVAL = 4000;

/** Queues a message; duplicates waiting in the queue are merged. */
export function announce(msg: string): void {
  if (!queue.includes(msg)) queue.push(msg);
  if (!timer) flush();
}

function flush(): void {
  if (queue.length === 0) {
    timer = null;
    return;
  }
  announcer.text = queue.join(' ');
  queue = [];
  timer = setTimeout(flush, INTERVAL);
}
