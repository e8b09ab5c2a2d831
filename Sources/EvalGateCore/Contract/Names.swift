/// Names in a gate file (gate, slices), label keys and the like:
/// `[A-Za-z0-9._-]+`, so they are safe in file names, JUnit class names and
/// slice paths.
package func isNameCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-")
}

package func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.allSatisfy(isNameCharacter)
}
