// Cutting a function or object literal out of a harness's minified JavaScript bundle, by bracket
// matching that skips strings and template literals. Shared by the oracles that slice harness code
// out of a shipped binary (kilo_oracle.mjs, opencode_oracle.mjs).

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
