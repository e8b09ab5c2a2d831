import Testing

@testable import EvalGateCore

struct SlicerTests {
    static let table = """
        id,merchant,region,channel,amount
        1,grocery,eu,web,5
        2,travel,na,pos,150
        3,grocery,eu,pos,
        4,,na,web,10000
        5,travel,eu,web,99.5
        6,grocery,na,web,-3

        """

    func slices(_ specs: [SliceSpec]) throws -> [SliceRows] {
        let slicer = Slicer(table: try csvTable(Self.table))
        return try slicer.slices(for: specs)
    }

    @Test func overallComesFirstWithEveryRow() throws {
        let result = try slices([])
        #expect(result.map(\.name) == ["overall"])
        #expect(result[0].rows == [0, 1, 2, 3, 4, 5])
    }

    @Test func byGivesOneSlicePerValueSortedWithMissingLast() throws {
        let result = try slices([.by(name: "merchant", columns: ["merchant"])])
        #expect(result.dropFirst().map(\.name) == ["merchant/grocery", "merchant/travel", "merchant/(missing)"])
        #expect(result[1].rows == [0, 2, 5])
        #expect(result[3].rows == [3])
        #expect(result[1].group == "merchant")
        #expect(result[1].key == ["grocery"])
    }

    @Test func crossedByGivesObservedCombinationsInColumnOrder() throws {
        let result = try slices([.by(name: "rc", columns: ["region", "channel"])])
        #expect(result.dropFirst().map(\.name) == ["rc/eu/pos", "rc/eu/web", "rc/na/pos", "rc/na/web"])
        #expect(result[4].rows == [3, 5])
        #expect(result[4].key == ["na", "web"])
    }

    @Test func numericByValuesSortNumericallyAndPrintShortest() throws {
        let slicer = Slicer(table: try csvTable("id,k\n1,10\n2,9.50\n3,10.0\n4,-1\n"))
        let result = try slicer.slices(for: [.by(name: "k", columns: ["k"])])
        #expect(result.dropFirst().map(\.name) == ["k/-1", "k/9.5", "k/10"])
        #expect(result[3].rows == [0, 2])
    }

    @Test func binsNameTheirEdgesAndSkipEmptyBins() throws {
        let result = try slices([.bins(name: "band", column: "amount", edges: [0, 100, 1000, 20000])])
        #expect(
            result.dropFirst().map(\.name) == [
                "band/[-inf,0)", "band/[0,100)", "band/[100,1000)", "band/[1000,20000)", "band/(missing)",
            ])
        #expect(result[2].rows == [0, 4])
        #expect(result[4].rows == [3])
    }

    @Test func binEdgeValuesFallIntoTheUpperBin() throws {
        let slicer = Slicer(table: try csvTable("id,x\n1,0.5\n2,1\n3,2.25\n"))
        let result = try slicer.slices(for: [.bins(name: "b", column: "x", edges: [1, 2.25])])
        #expect(result.dropFirst().map(\.name) == ["b/[-inf,1)", "b/[1,2.25)", "b/[2.25,+inf)"])
    }

    @Test func whereSlicesAreNamedByTheirNameAndEmptyOnesAreNotReported() throws {
        let result = try slices([
            .filter(name: "web", expression: try WhereExpression.parse("channel == \"web\"")),
            .filter(name: "none", expression: try WhereExpression.parse("amount > 1e9")),
        ])
        #expect(result.map(\.name) == ["overall", "web"])
        #expect(result[1].rows == [0, 3, 4, 5])
        #expect(result[1].group == nil)
    }

    @Test func binsOnTextIsADataError() {
        #expect(throws: EvalGateError.self) { try slices([.bins(name: "b", column: "merchant", edges: [1])]) }
    }

    @Test(arguments: [
        ("*", "overall", true), ("*", "merchant/grocery", true), ("merchant/*", "merchant/grocery", true),
        ("merchant/*", "merchants/x", false), ("merchant/?rocery", "merchant/grocery", true),
        ("amount_band/[10000,+inf)", "amount_band/[10000,+inf)", true),
        ("amount_band/[1*", "amount_band/[100,1000)", true),
        ("high_value", "high_value2", false), ("*/eu/*", "rc/eu/web", true),
    ])
    func globSelectors(pattern: String, name: String, matches: Bool) {
        #expect(globMatches(pattern, name) == matches)
    }
}
