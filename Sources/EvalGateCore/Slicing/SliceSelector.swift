/// Selectors in a check's `slices:` are shell-style globs over slice names
/// (SPEC.md "Slice names").
/// Shell-style glob over slice names: `*` matches any run of characters
/// (including `/`), `?` one character; everything else, `[` and `]` included
/// (they occur in bin names), matches itself.
package func globMatches(_ pattern: String, _ name: String) -> Bool {
    let p = Array(pattern)
    let s = Array(name)
    var pi = 0
    var si = 0
    var starP = -1
    var starS = 0
    while si < s.count {
        if pi < p.count, p[pi] == "?" || p[pi] == s[si] {
            pi += 1
            si += 1
        } else if pi < p.count, p[pi] == "*" {
            starP = pi
            starS = si
            pi += 1
        } else if starP >= 0 {
            pi = starP + 1
            starS += 1
            si = starS
        } else {
            return false
        }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
}

package func isGlob(_ pattern: String) -> Bool { pattern.contains("*") || pattern.contains("?") }

/// Why a selector that matches no slice fails its check, with the nearest
/// slice name, group glob or where-slice glob as a suggestion.
package func unmatchedSelectorReason(_ selector: String, slices: [SliceRows]) -> String {
    var candidates: [String] = []
    var groups: [String] = []
    for slice in slices {
        candidates.append(slice.name)
        if let group = slice.group, !groups.contains(group) { groups.append(group) }
    }
    if isGlob(selector) {
        candidates += slices.filter { $0.group == nil }.map { "\($0.name)*" }
        candidates += groups.map { "\($0)/*" }
    }
    let hint: String
    if let near = suggestion(for: selector, among: candidates) {
        hint = " Did you mean \(quote(near))?"
    } else {
        let known = (slices.filter { $0.group == nil }.map(\.name) + groups.map { "\($0)/*" })
        hint = " The slices are: \(known.prefix(12).joined(separator: ", "))\(known.count > 12 ? ", ..." : "")."
    }
    let what =
        isGlob(selector) ? "the selector \(quote(selector)) matches no slice" : "slice \(quote(selector)) not found"
    return "\(what) in the golden dataset, so this check would gate nothing.\(hint) Fix 'slices' in the check"
}
