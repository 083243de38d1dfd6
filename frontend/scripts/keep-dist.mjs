// Vite empties dist/ on every build; the committed placeholder keeps
// `go build` working on a fresh clone before any frontend build.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/.gitkeep', import.meta.url), '');
