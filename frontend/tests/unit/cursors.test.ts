import { describe, expect, it } from 'vitest';
import { STACK_LEVELS, stackLevels } from '../../src/lib/editor/cursors';

describe('remote caret labels', () => {
  it('stack carets at one spot and close together, not apart or on other lines', () => {
    const levels = stackLevels([
      { pos: 10, line: 1 },
      { pos: 10, line: 1 }, // same spot
      { pos: 14, line: 1 }, // close behind
      { pos: 40, line: 1 }, // far enough
      { pos: 45, line: 2 }, // next line
      { pos: 46, line: 2 },
    ]);
    expect(levels).toEqual([0, 1, 2, 0, 0, 1]);
  });

  it('cycle through the rows when more carets meet than there are rows', () => {
    const carets = Array.from({ length: STACK_LEVELS + 2 }, () => ({ pos: 5, line: 1 }));
    expect(stackLevels(carets)).toEqual([0, 1, 2, 0, 1]);
  });
});
