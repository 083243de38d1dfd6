// Page titles name the page first, so that tabs and screen readers identify it.

/** Sets document.title to "<page> – Strategieraum". */
export function setTitle(page: string): void {
  document.title = page ? `${page} – Strategieraum` : 'Strategieraum';
}
