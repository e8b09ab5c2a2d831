package enum SliceSpec: Sendable {
    case filter(name: String, expression: WhereExpression)
    case by(name: String, columns: [String])
    case bins(name: String, column: String, edges: [Double])

    package var name: String {
        switch self {
        case .filter(let name, _), .by(let name, _), .bins(let name, _, _): name
        }
    }
}
