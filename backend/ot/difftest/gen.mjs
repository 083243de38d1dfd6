// Generates random cases with reference results from ot-text-unicode for
// the Go differential test (backend/ot/difftest_test.go).
//
//   node gen.mjs --seed 1 --count 10000 > cases.json
//
// Output: a JSON array of cases. Ops are emitted exactly as the package
// returns them (JSON.stringify), so the Go side can compare bytes.
import otText from 'ot-text-unicode'

const { type } = otText

const args = process.argv.slice(2)
const arg = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : dflt
}
const seed = arg('--seed', 1)
const count = arg('--count', 10000)
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 0) {
  console.error('usage: node gen.mjs --seed N --count N')
  process.exit(2)
}

// mulberry32: small, seedable, good enough for test data.
let state = seed >>> 0
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const randInt = n => Math.floor(rand() * n) // 0 .. n-1

// Code points and clusters chosen to break byte or UTF-16 arithmetic:
// astral emoji, combining marks, CJK, a ZWJ sequence, flags, escapes.
const atoms = [
  'a', 'b', 'c', 'x', ' ', '\n', 'ä', 'é', 'e\u0301', 'ß', '中', '文', '字',
  '😀', '👍🏽', '𝄞', '👩\u200d👩\u200d👧', '🇩🇪', '"', '\\', '\t', '\u2028', '\u0000', '€',
]
const randText = (maxAtoms) => {
  let s = ''
  const n = 1 + randInt(maxAtoms)
  for (let i = 0; i < n; i++) s += atoms[randInt(atoms.length)]
  return s
}
const cpLen = s => [...s].length
const cpSlice = (s, a, b) => [...s].slice(a, b).join('')

// randOp returns a normalised op valid on doc. With invertible set, deletes
// carry the deleted text ({d:"..."}) as the package allows.
const randOp = (doc, invertible) => {
  const op = []
  let pos = 0
  const len = cpLen(doc)
  const steps = 1 + randInt(6)
  for (let i = 0; i < steps; i++) {
    const rem = len - pos
    const r = randInt(3)
    if (r === 0 && rem > 0) {
      const k = 1 + randInt(rem)
      op.push(k)
      pos += k
    } else if (r === 1 && rem > 0) {
      const k = 1 + randInt(Math.min(rem, 8))
      op.push({ d: invertible ? cpSlice(doc, pos, pos + k) : k })
      pos += k
    } else {
      op.push(randText(4))
    }
  }
  return type.normalize(op)
}

const cases = []
for (let i = 0; i < count; i++) {
  const doc = randInt(10) === 0 ? '' : randText(randInt(8) === 0 ? 120 : 25)
  const inv = randInt(8) === 0
  const a = randOp(doc, inv)
  const b = randOp(doc, inv)
  const strip = op => (inv ? type.stripInvertible(op) : op)
  const afterA = type.apply(doc, a)
  const c = randOp(afterA, false)
  const positions = []
  const tpos = []
  for (let k = 0; k < 3; k++) {
    const p = randInt(cpLen(doc) + 2)
    positions.push(p)
    tpos.push(type.transformPosition(p, a))
  }
  cases.push({
    doc,
    a: JSON.stringify(a),
    b: JSON.stringify(b),
    c: JSON.stringify(c),
    apply: afterA,
    left: JSON.stringify(strip(type.transform(a, b, 'left'))),
    right: JSON.stringify(strip(type.transform(a, b, 'right'))),
    compose: JSON.stringify(strip(type.compose(a, c))),
    positions,
    tpos,
  })
}
process.stdout.write(JSON.stringify({ seed, count, cases }))
