import { describe, expect, it } from 'vitest';
import { isStartThreadKey, type KeyLike } from '../../src/lib/editor/shortcuts';

const none = { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false };
const key = (k: Partial<KeyLike>): KeyLike => ({ key: '', code: '', ...none, ...k });

describe('start-thread shortcut', () => {
  it('opens with Alt+Shift+K on German Windows and Linux (key "K")', () => {
    expect(isStartThreadKey(key({ key: 'K', code: 'KeyK', altKey: true, shiftKey: true }))).toBe(true);
  });

  it('opens with Option+Shift+K on a German Mac, which types a symbol', () => {
    // macOS reports the character Option+Shift+K produces, not the letter.
    expect(isStartThreadKey(key({ key: '\uF8FF', code: 'KeyK', altKey: true, shiftKey: true }))).toBe(true);
  });

  it('opens with the K of layouts that put it elsewhere (matched by letter)', () => {
    expect(isStartThreadKey(key({ key: 'K', code: 'KeyV', altKey: true, shiftKey: true }))).toBe(true);
  });

  it('leaves AltGr+M on German Windows (Ctrl+Alt, "µ") to typing', () => {
    expect(isStartThreadKey(key({ key: 'µ', code: 'KeyM', ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('leaves Option+M on a German Mac ("µ") and Ctrl+Alt+M on Linux alone', () => {
    expect(isStartThreadKey(key({ key: 'µ', code: 'KeyM', altKey: true }))).toBe(false);
    expect(isStartThreadKey(key({ key: 'm', code: 'KeyM', ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('leaves AltGr+Shift+K, Alt+K, Ctrl+Shift+K and plain K to the browser and typing', () => {
    expect(isStartThreadKey(key({ key: 'K', code: 'KeyK', ctrlKey: true, altKey: true, shiftKey: true }))).toBe(false);
    expect(isStartThreadKey(key({ key: 'k', code: 'KeyK', altKey: true }))).toBe(false);
    expect(isStartThreadKey(key({ key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isStartThreadKey(key({ key: 'K', code: 'KeyK', metaKey: true, altKey: true, shiftKey: true }))).toBe(false);
    expect(isStartThreadKey(key({ key: 'k', code: 'KeyK' }))).toBe(false);
  });
});
