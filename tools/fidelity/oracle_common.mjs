// What the oracles that slice harness code out of a shipped binary share (kilo_oracle.mjs,
// opencode_oracle.mjs): cutting a function or object literal out of a minified JavaScript bundle, by
// bracket matching that skips strings and template literals, and finding a trigger by bisection.

export function skipString(s, i) { // s[i] is a quote; returns index after the closing quote
  const q = s[i];
  for (let k = i + 1; k < s.length; k++) {
    if (s[k] === "\\") { k++; continue; }
    if (q === "`" && s[k] === "$" && s[k + 1] === "{") { k = balanced(s, k + 1) - 1; continue; }
    if (s[k] === q) return k + 1;
  }
  throw new Error("unterminated string");
}

export function balanced(s, i) { // s[i] is ( [ or {; returns index after its match
  const close = { "(": ")", "[": "]", "{": "}" }[s[i]];
  let depth = 0;
  for (let k = i; k < s.length; k++) {
    const c = s[k];
    if (c === '"' || c === "'" || c === "`") { k = skipString(s, k) - 1; continue; }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") { depth--; if (depth === 0) { if (c !== close) throw new Error("mismatch"); return k + 1; } }
  }
  throw new Error("unbalanced");
}

export function firstTrue(pred) { // smallest integer n >= 0 with pred(n), or null
  if (pred(0)) return 0;
  let hi = 1;
  while (!pred(hi)) { hi *= 2; if (hi > 2 ** 53) return null; }
  let lo = Math.floor(hi / 2);
  while (lo + 1 < hi) { const mid = Math.floor((lo + hi) / 2); if (pred(mid)) hi = mid; else lo = mid; }
  return hi;
}

// The usage of one finished step holding `n` tokens, in the shape the opencode family counts.
export const tokensOf = (n) => ({ input: n, output: 0, reasoning: 0, cache: { read: 0, write: 0 }, total: n });
